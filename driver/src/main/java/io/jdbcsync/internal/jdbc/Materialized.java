package io.jdbcsync.internal.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.SQLException;

/** Reads streamed parameter values into memory: the log needs the value, and the stream is read once. */
final class Materialized {

    private Materialized() {
    }

    static byte[] bytes(InputStream in) throws SQLException {
        return bytes(in, -1);
    }

    static byte[] bytes(InputStream in, long length) throws SQLException {
        if (in == null) {
            return null;
        }
        try {
            return length < 0 ? in.readAllBytes() : in.readNBytes((int) Math.min(Integer.MAX_VALUE, length));
        } catch (IOException e) {
            throw new SQLException("cannot read the parameter stream: " + e.getMessage(), "HY000", e);
        }
    }

    static byte[] bytes(Blob blob) throws SQLException {
        return blob == null ? null : blob.getBytes(1, (int) blob.length());
    }

    static String text(Reader in) throws SQLException {
        return text(in, -1);
    }

    static String text(Reader in, long length) throws SQLException {
        if (in == null) {
            return null;
        }
        try {
            StringBuilder sb = new StringBuilder();
            char[] buf = new char[8192];
            long left = length < 0 ? Long.MAX_VALUE : length;
            int n;
            while (left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0) {
                sb.append(buf, 0, n);
                left -= n;
            }
            return sb.toString();
        } catch (IOException e) {
            throw new SQLException("cannot read the parameter stream: " + e.getMessage(), "HY000", e);
        }
    }

    static String text(Clob clob) throws SQLException {
        return clob == null ? null : clob.getSubString(1, (int) clob.length());
    }

    /** An ASCII stream. */
    static String text(InputStream in) throws SQLException {
        byte[] b = bytes(in);
        return b == null ? null : new String(b, StandardCharsets.US_ASCII);
    }

    static String text(InputStream in, long length) throws SQLException {
        byte[] b = bytes(in, length);
        return b == null ? null : new String(b, StandardCharsets.US_ASCII);
    }
}
