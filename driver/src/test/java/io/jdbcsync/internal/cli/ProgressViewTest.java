package io.jdbcsync.internal.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Progress with and without a known total, on a terminal (one line redrawn) and not (plain lines). */
class ProgressViewTest {

    @Test
    void onATerminalOneLineIsRedrawnWithABarOnlyWhenTheTotalIsKnown() {
        StringWriter s = new StringWriter();
        ProgressView v = new ProgressView(new PrintWriter(s), true);
        v.update("push", 1000, 4000, "changes");
        v.update("push", 4000, 4000, "changes");
        v.update("pull from dev-b", 2500, -1, "changes");
        v.finishLine();
        String out = s.toString();
        assertTrue(out.startsWith("\rpush"), out);
        assertTrue(out.contains("[######                  ] 1,000/4,000 changes"), out);
        assertTrue(out.contains("4,000/4,000 changes"), out);
        assertTrue(out.contains("\rpull from dev-b: 2,500 changes, "), out);
        assertFalse(out.contains("pull from dev-b: 2,500 changes, 0 changes/s ETA"), out);
        assertEquals(2, out.split(System.lineSeparator(), -1).length - 1, "a line ends when the label changes and at the end: " + out);
    }

    @Test
    void aPhaseShorterThanTheQuietTimeShowsNothing() throws Exception {
        StringWriter s = new StringWriter();
        ProgressView v = new ProgressView(new PrintWriter(s), false, 200);
        v.update("push", 1, 1, "changes");
        v.update("pull from dev-b", 10, -1, "changes");
        assertEquals("", s.toString());
        Thread.sleep(250);
        v.update("pull from dev-b", 20, -1, "changes");
        assertTrue(s.toString().startsWith("pull from dev-b: 20 changes, "), s.toString());
    }

    @Test
    void otherwisePlainLinesTheFirstAtOnceAndTheLastOfAKnownTotal() {
        StringWriter s = new StringWriter();
        ProgressView v = new ProgressView(new PrintWriter(s), false);
        v.update("push", 1000, 3000, "changes");
        v.update("push", 2000, 3000, "changes"); // within the plain interval: not printed
        v.update("push", 3000, 3000, "changes");
        v.update("pull from dev-b", 500, -1, "changes");
        String out = s.toString();
        assertFalse(out.contains("\r"), out);
        assertTrue(out.contains("push: 1,000/3,000 changes"), out);
        assertFalse(out.contains("push: 2,000/3,000"), out);
        assertTrue(out.contains("push: 3,000/3,000 changes"), out);
        assertTrue(out.contains("pull from dev-b: 500 changes, "), out);
    }
}
