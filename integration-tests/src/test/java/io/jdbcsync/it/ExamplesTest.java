package io.jdbcsync.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every program in examples/ runs as its README says. */
class ExamplesTest {
    private static final Path EXAMPLES = Paths.get("..", "examples").toAbsolutePath().normalize();

    @Test
    void notesOnTwoDevicesConverge(@TempDir Path dir) throws Exception {
        Path notes = EXAMPLES.resolve("Notes.java");
        String laptop = dir.resolve("laptop.db").toString();
        String phone = dir.resolve("phone.db").toString();
        String shared = dir.resolve("shared").toString();
        assertTrue(StandaloneJava.run(notes, laptop, shared, "add", "buy milk").startsWith("added note "));
        StandaloneJava.run(notes, phone, shared, "add", "call mum");
        StandaloneJava.run(notes, laptop, shared, "sync");
        StandaloneJava.run(notes, phone, shared, "sync");
        String id = StandaloneJava.run(notes, phone, shared, "list").lines()
                .filter(l -> l.endsWith("buy milk")).findFirst().orElseThrow().split(" ")[0];
        assertEquals("done", StandaloneJava.run(notes, phone, shared, "done", id).trim());
        StandaloneJava.run(notes, phone, shared, "sync");
        StandaloneJava.run(notes, laptop, shared, "sync");
        String onLaptop = StandaloneJava.run(notes, laptop, shared, "list");
        assertEquals(StandaloneJava.run(notes, phone, shared, "list"), onLaptop);
        assertTrue(onLaptop.contains("[x] buy milk") && onLaptop.contains("[ ] call mum"), onLaptop);
    }
}
