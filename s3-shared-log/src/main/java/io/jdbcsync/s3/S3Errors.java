package io.jdbcsync.s3;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/** Which S3 failures are worth another attempt, and how to name a failure in one phrase. */
final class S3Errors {

    /** Codes S3 uses for passing trouble even when the status alone would not say so. */
    private static final Set<String> TRANSIENT_CODES = Set.of(
            "SlowDown", "RequestTimeout", "InternalError", "ServiceUnavailable", "Throttling",
            "ThrottlingException", "RequestLimitExceeded", "TooManyRequests",
            // 409: a concurrent conditional write to the same key is in flight; S3 asks for a
            // retry, which then sees either success or 412 against the finished write.
            "ConditionalRequestConflict", "OperationAborted");

    private S3Errors() {
    }

    static boolean isTransient(SdkException e) {
        if (e instanceof AbortedException) {
            return false; // the calling thread was interrupted: stop, do not retry
        }
        if (e instanceof ApiCallAttemptTimeoutException || e instanceof ApiCallTimeoutException) {
            return true;
        }
        if (e instanceof SdkServiceException service) {
            int status = service.statusCode();
            if (status == 501) {
                return false; // the server lacks a feature; asking again will not add it
            }
            return status >= 500 || status == 429 || status == 408
                    || TRANSIENT_CODES.contains(errorCode(service));
        }
        return e instanceof SdkClientException && hasIoCause(e);
    }

    static String errorCode(SdkServiceException e) {
        if (e instanceof AwsServiceException aws && aws.awsErrorDetails() != null) {
            return aws.awsErrorDetails().errorCode();
        }
        return null;
    }

    static String serverMessage(SdkServiceException e) {
        if (e instanceof AwsServiceException aws && aws.awsErrorDetails() != null) {
            return aws.awsErrorDetails().errorMessage();
        }
        return null;
    }

    /** "503 SlowDown", "connection failed (ConnectException: Connection refused)", and so on. */
    static String summary(SdkException e, long attemptTimeoutMillis) {
        if (e instanceof SdkServiceException service) {
            String code = errorCode(service);
            return service.statusCode() + " " + (code == null || code.isEmpty() ? "(no error code)" : code);
        }
        if (e instanceof ApiCallAttemptTimeoutException || e instanceof ApiCallTimeoutException) {
            return "no response within " + attemptTimeoutMillis + " ms";
        }
        if (e instanceof AbortedException) {
            return "interrupted";
        }
        Throwable io = ioCause(e);
        if (io != null) {
            String detail = " (" + io.getClass().getSimpleName()
                    + (io.getMessage() == null ? "" : ": " + io.getMessage()) + ")";
            if (io instanceof SocketTimeoutException) {
                return "no response within " + attemptTimeoutMillis + " ms" + detail;
            }
            if (io instanceof ConnectException || io instanceof UnknownHostException
                    || io instanceof NoRouteToHostException) {
                return "connection failed" + detail;
            }
            return "network error" + detail;
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private static boolean hasIoCause(Throwable t) {
        return ioCause(t) != null;
    }

    /** The innermost I/O exception in the cause chain: the most specific description. */
    private static Throwable ioCause(Throwable t) {
        Throwable found = null;
        for (Throwable c = t; c != null && c.getCause() != c; c = c.getCause()) {
            if (c instanceof IOException || c instanceof UncheckedIOException) {
                found = c;
            }
        }
        return found;
    }
}
