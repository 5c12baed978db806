package io.jdbcsync.internal.log;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Rewrites a device's batches in a directory log as format 1, as a device of an older version writes them. */
public final class FormatOneBatches {
    private FormatOneBatches() {
    }

    /** Every batch of {@code device} under the directory log {@code root}, rewritten in format 1 (unencrypted logs). */
    public static int rewrite(Path root, String device) throws IOException, CorruptBatchException {
        BatchCodec codec = new BatchCodec(null);
        int n = 0;
        try (DirectoryStream<Path> batches = Files.newDirectoryStream(root.resolve("devices").resolve(device).resolve("batches"))) {
            for (Path p : batches) {
                String name = p.getFileName().toString();
                if (!Character.isDigit(name.charAt(0))) {
                    continue;
                }
                long sequence = Long.parseLong(name.replaceAll("\\D.*$", ""));
                Files.write(p, TestBatches.frameCompressedFormatOne(encode(codec.decode(Files.readAllBytes(p), device, sequence))));
                n++;
            }
        }
        return n;
    }

    /** The payload layout of format 1: no device dictionary, no seen versions. */
    static byte[] encode(Batch batch) {
        java.util.Map<String, Integer> tables = new java.util.LinkedHashMap<>();
        batch.entries().forEach(e -> tables.putIfAbsent(e.table(), tables.size()));
        BinaryWriter out = new BinaryWriter(1024);
        out.writeString(batch.device());
        out.writeVarint(batch.sequence());
        out.writeVarint(tables.size());
        tables.keySet().forEach(out::writeString);
        out.writeVarint(batch.entries().size());
        for (LogEntry e : batch.entries()) {
            out.writeLong(e.hlc());
            out.writeVarint(tables.get(e.table()));
            out.writeByte(e.op().code());
            out.writeBytes(e.key());
            out.writeBytes(e.data());
        }
        return out.toByteArray();
    }
}
