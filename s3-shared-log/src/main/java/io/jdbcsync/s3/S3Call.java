package io.jdbcsync.s3;

/** One S3 request; failures surface as the SDK's unchecked exceptions. */
@FunctionalInterface
interface S3Call<T> {
    T call();
}
