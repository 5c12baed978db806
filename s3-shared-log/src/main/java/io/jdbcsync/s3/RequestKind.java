package io.jdbcsync.s3;

/**
 * The kinds of S3 request, in the order they are reported. No operation sends HEAD today; it is
 * listed so that reports keep the same columns if one starts to.
 */
enum RequestKind {
    PUT,
    GET,
    LIST,
    DELETE,
    HEAD
}
