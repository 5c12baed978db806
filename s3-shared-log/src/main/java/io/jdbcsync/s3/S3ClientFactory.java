package io.jdbcsync.s3;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProviderChain;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.regions.providers.SystemSettingsRegionProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;

/** Builds the SDK client from the options: JDK HTTP client, no SDK retries, bounded attempts. */
final class S3ClientFactory {
    /** Used with an endpoint override when nothing else names a region: most S3-compatible
     *  servers ignore the region, but SigV4 needs one. */
    static final Region FALLBACK_REGION = Region.US_EAST_1;

    private S3ClientFactory() {
    }

    static S3Client create(S3Options options) {
        S3ClientBuilder builder = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(options.attemptTimeout())
                        .socketTimeout(options.attemptTimeout()))
                // Checksums only where S3 demands them (DeleteObjects): S3-compatible servers vary
                // in what they accept, and TCP plus TLS already guard these small objects.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                // Objects are small and already in memory: waiting for "100 Continue" would cost a
                // round trip each, and a plain signed body is simpler for every S3-compatible
                // server than aws-chunked framing (which only matters for plain-http endpoints).
                .serviceConfiguration(S3Configuration.builder()
                        .expectContinueEnabled(false)
                        .chunkedEncodingEnabled(false)
                        .build())
                .overrideConfiguration(o -> o
                        .retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallAttemptTimeout(options.attemptTimeout()))
                .forcePathStyle(options.pathStyle())
                .credentialsProvider(credentials(options))
                .region(region(options));
        if (options.endpoint() != null) {
            builder.endpointOverride(options.endpoint());
        }
        return builder.build();
    }

    private static AwsCredentialsProvider credentials(S3Options options) {
        if (options.hasStaticCredentials()) {
            return StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(options.accessKey(), options.secretKey()));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    static Region region(S3Options options) {
        if (options.region() != null) {
            return Region.of(options.region());
        }
        if (options.endpoint() != null) {
            // Environment and profile only: with an explicit endpoint, asking the EC2 instance
            // metadata service would just stall on machines that have none.
            try {
                return new AwsRegionProviderChain(
                        new SystemSettingsRegionProvider(), new AwsProfileRegionProvider()).getRegion();
            } catch (SdkClientException nothingSet) {
                return FALLBACK_REGION;
            }
        }
        try {
            return DefaultAwsRegionProviderChain.builder().build().getRegion();
        } catch (SdkClientException e) {
            throw new IllegalArgumentException(S3Options.REGION + " is not set and the default AWS region chain"
                    + " (AWS_REGION, profile, instance metadata) found none");
        }
    }
}
