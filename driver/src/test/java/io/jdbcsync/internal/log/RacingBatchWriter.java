package io.jdbcsync.internal.log;

import io.jdbcsync.spi.BatchConflictException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run in a separate JVM by {@link DirectorySharedLogRaceTest}: once the start file appears, puts
 * batches {@code 0 .. count-1} of one device with content of its own, printing {@code <seq> WON}
 * or {@code <seq> LOST} for each.
 *
 * <p>Arguments: log root, device, batch count, writer name, start file.
 */
public final class RacingBatchWriter {

    private RacingBatchWriter() {
    }

    public static void main(String[] args) throws Exception {
        DirectorySharedLog log = new DirectorySharedLog(Path.of(args[0]));
        String device = args[1];
        int count = Integer.parseInt(args[2]);
        String writer = args[3];
        Path start = Path.of(args[4]);
        System.out.println("READY");
        System.out.flush();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!Files.exists(start)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("start file never appeared");
            }
            Thread.onSpinWait();
        }
        StringBuilder results = new StringBuilder();
        for (long sequence = 0; sequence < count; sequence++) {
            try {
                log.putBatch(device, sequence, content(writer, sequence));
                results.append(sequence).append(" WON\n");
            } catch (BatchConflictException e) {
                results.append(sequence).append(" LOST\n");
            }
        }
        System.out.print(results);
        System.out.flush();
    }

    static byte[] content(String writer, long sequence) {
        return (writer + " wrote batch " + sequence + " " + "x".repeat((int) (sequence % 7) * 1000))
                .getBytes(StandardCharsets.UTF_8);
    }
}
