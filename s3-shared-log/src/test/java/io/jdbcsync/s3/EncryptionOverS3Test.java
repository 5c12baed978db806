package io.jdbcsync.s3;

import static java.nio.charset.StandardCharsets.UTF_16BE;
import static java.nio.charset.StandardCharsets.UTF_16LE;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * End-to-end encryption over S3 ({@code sync.passphrase}): devices with the passphrase converge
 * while the bucket holds no plaintext of what the app wrote; devices with a wrong or no passphrase
 * are refused clearly and neither apply nor push anything.
 */
class EncryptionOverS3Test {
    @RegisterExtension
    static final S3ProxyExtension S3 = TestS3.server();

    static final String PREFIX = "team/app";
    static final String PASSPHRASE = "correct horse battery staple 4711";
    static final String TABLE = "CREATE TABLE patient_record (id INTEGER PRIMARY KEY, name TEXT NOT NULL, diagnosis TEXT)";
    /** Written by the app; none of it may appear in the bucket, in any form. */
    static final List<String> SECRETS = List.of("SECRET-VALUE-4711", "Grüße aus Köln – 東京タワー – Ωμέγα 🚀",
            "B-CONFIDENTIAL-0815", "UPDATED-SECRET-9932", "patient_record", "diagnosis");

    @TempDir
    Path dir;

    private final List<SyncDevice> devices = new ArrayList<>();
    private S3Client raw;

    @BeforeEach
    void bucket() {
        TestS3.createBucket(S3.getUri());
        raw = TestS3.rawClient(S3.getUri());
    }

    @AfterEach
    void close() throws SQLException {
        for (SyncDevice d : devices) {
            d.close();
        }
        raw.close();
    }

    private SyncDevice device(String name, String... extra) throws SQLException {
        SyncDevice d = SyncDevice.open(dir.resolve(name + ".db"), SyncDevice.s3(S3.getUri(), PREFIX, extra));
        d.exec(TABLE);
        devices.add(d);
        return d;
    }

    /** Two devices write the secrets and sync; returns them converged. */
    private SyncDevice[] writeSecretsAndSync(String... extra) throws SQLException {
        SyncDevice a = device("a", extra);
        SyncDevice b = device("b", extra);
        a.exec("INSERT INTO patient_record (name, diagnosis) VALUES ('" + SECRETS.get(0) + "', '" + SECRETS.get(1) + "')");
        b.exec("INSERT INTO patient_record (name, diagnosis) VALUES ('" + SECRETS.get(2) + "', NULL)");
        a.sync();
        b.sync();
        a.sync();
        b.exec("UPDATE patient_record SET diagnosis = '" + SECRETS.get(3) + "' WHERE name = '" + SECRETS.get(0) + "'");
        b.sync();
        a.sync();
        assertEquals(a.table("patient_record"), b.table("patient_record"));
        assertEquals(List.of(SECRETS.get(2) + "|null", SECRETS.get(0) + "|" + SECRETS.get(3)),
                a.rows("SELECT name, diagnosis FROM patient_record ORDER BY name"));
        return new SyncDevice[] {a, b};
    }

    @Test
    void encryptedLogHoldsNoPlaintextAndRefusesWrongOrMissingPassphrases() throws Exception {
        SyncDevice[] ab = writeSecretsAndSync("sync.passphrase", PASSPHRASE);

        // Every object in the bucket: no trace of what the app wrote, nor of the passphrase.
        Map<String, Long> objects = Bucket.objects(raw, "");
        assertTrue(objects.keySet().stream().filter(k -> k.endsWith(".batch")).count() >= 3, objects.toString());
        assertTrue(objects.containsKey(PREFIX + "/objects/keyinfo"), objects.toString());
        List<String> needles = new ArrayList<>(SECRETS);
        needles.add(PASSPHRASE);
        assertEquals(List.of(), findings(needles), "plaintext found in the bucket");
        List<String> keysBefore = Bucket.keys(raw, "");

        SyncDevice wrong = device("wrong", "sync.passphrase", "not the passphrase");
        wrong.exec("INSERT INTO patient_record (name) VALUES ('written with the wrong passphrase')");
        SQLException e = assertThrows(SQLException.class, wrong::sync);
        assertTrue(e.getMessage().contains("wrong passphrase for this shared log (s3://shared-log/team/app at "),
                e.getMessage());
        assertEquals(e.getMessage(), wrong.status().get("last_error"));

        SyncDevice none = device("none");
        none.exec("INSERT INTO patient_record (name) VALUES ('written without a passphrase')");
        SQLException e2 = assertThrows(SQLException.class, none::sync);
        assertTrue(e2.getMessage().contains("the shared log s3://shared-log/team/app at ")
                && e2.getMessage().contains(" is encrypted: set sync.passphrase (or sync.key-file) to sync with it"),
                e2.getMessage());
        assertEquals(e2.getMessage(), none.status().get("last_error"));

        for (SyncDevice refused : List.of(wrong, none)) {
            // Nothing applied, nothing pushed: the device holds only its own row, still pending.
            assertEquals(1, refused.count("SELECT COUNT(*) FROM patient_record"));
            assertEquals(1L, ((Number) refused.status().get("pending_changes")).longValue());
            assertEquals(0, refused.count("SELECT COUNT(*) FROM _sync_cursor"));
        }
        assertEquals(keysBefore, Bucket.keys(raw, ""), "the refused devices wrote nothing");
        for (SyncDevice d : ab) {
            assertEquals(0, d.sync()[1], "nothing new for the devices with the passphrase");
        }

        // Given the right passphrase, the device that had the wrong one joins and converges.
        wrong.close();
        SyncDevice fixed = SyncDevice.open(wrong.file, SyncDevice.with(wrong.properties, "sync.passphrase", PASSPHRASE));
        devices.add(fixed);
        assertEquals(1, fixed.sync()[0]);
        assertNull(fixed.status().get("last_error"));
        ab[0].sync();
        assertEquals(ab[0].table("patient_record"), fixed.table("patient_record"));
        assertEquals(3, fixed.count("SELECT COUNT(*) FROM patient_record"));
    }

    /** The scan above does find plaintext where there is some: in a log without a passphrase. */
    @Test
    void theScanFindsPlaintextInAnUnencryptedLog() throws Exception {
        writeSecretsAndSync();
        List<String> found = findings(SECRETS);
        for (String secret : SECRETS) {
            assertTrue(found.stream().anyMatch(f -> f.contains(secret)), secret + " not found in " + found);
        }
    }

    /**
     * Where each needle shows up in the bucket: in the raw bytes (UTF-8 or UTF-16), or in a
     * batch's body once inflated when that body is not encrypted.
     */
    private List<String> findings(List<String> needles) {
        List<String> found = new ArrayList<>();
        for (String key : Bucket.keys(raw, "")) {
            byte[] bytes = Bucket.get(raw, key);
            List<byte[]> views = new ArrayList<>(List.of(bytes));
            boolean batch = bytes.length > 9 && bytes[0] == 'J' && bytes[1] == 'S' && bytes[2] == 'B';
            if (batch) {
                if ((bytes[4] & 0x02) == 0) {
                    found.add(key + ": batch not encrypted");
                    views.add(inflate(Arrays.copyOfRange(bytes, 5, bytes.length - 4)));
                }
            }
            for (String needle : needles) {
                for (byte[] view : views) {
                    for (Charset cs : List.of(UTF_8, UTF_16LE, UTF_16BE)) {
                        if (indexOf(view, needle.getBytes(cs)) >= 0) {
                            found.add(key + ": " + needle + " (" + cs + (view == bytes ? ", raw)" : ", inflated)"));
                        }
                    }
                }
            }
        }
        return found;
    }

    private static byte[] inflate(byte[] zlib) {
        Inflater inflater = new Inflater();
        inflater.setInput(zlib);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                out.write(buffer, 0, n);
            }
        } catch (DataFormatException e) {
            throw new AssertionError("an unencrypted batch body that is not zlib", e);
        } finally {
            inflater.end();
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
