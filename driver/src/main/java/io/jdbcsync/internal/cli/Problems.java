package io.jdbcsync.internal.cli;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.sql.SQLException;

/** Error messages that always say what failed, never a bare path. */
final class Problems {

    private Problems() {
    }

    static String describe(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof FileSystemException f) {
                // Their message is often the bare path alone: say what is wrong with it.
                return prefix(ex) + file(f);
            }
        }
        String m = ex.getMessage();
        if (m == null || m.isBlank()) {
            m = ex.getClass().getSimpleName();
        }
        if (ex instanceof SQLException && ex.getCause() != null && ex.getCause().getMessage() != null
                && !m.contains(ex.getCause().getMessage())) {
            m += " (" + ex.getCause().getMessage() + ")";
        }
        return m;
    }

    /** "sync failed: " of "sync failed: /the/path". */
    private static String prefix(Throwable ex) {
        String m = ex.getMessage();
        int colon = m == null ? -1 : m.indexOf(": ");
        return colon > 0 ? m.substring(0, colon + 2) : "";
    }

    private static String file(FileSystemException f) {
        String what = f instanceof NoSuchFileException ? "no such file or directory"
                : f instanceof AccessDeniedException ? "access denied"
                : f instanceof NotDirectoryException ? "not a directory"
                : f instanceof FileAlreadyExistsException ? "a file is in the way"
                : f.getReason() != null ? f.getReason() : f.getClass().getSimpleName();
        return f.getFile() + ": " + what + (f.getOtherFile() != null ? " (" + f.getOtherFile() + ")" : "");
    }
}
