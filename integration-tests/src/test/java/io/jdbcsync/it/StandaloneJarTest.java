package io.jdbcsync.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone driver jar is what a user drops into a database tool or onto a bare class path:
 * next to sqlite-jdbc alone it must connect, capture and report its version, and it must not
 * carry classes in packages a host application may have in another version.
 */
class StandaloneJarTest {

    @Test
    void connectsAndCapturesWithOnlySqliteJdbcBesideIt(@TempDir Path dir) throws Exception {
        Path probe = dir.resolve("Probe.java");
        Files.writeString(probe, String.join("\n",
                "import java.sql.*;",
                "public class Probe {",
                "  public static void main(String[] a) throws Exception {",
                "    String url = \"jdbc:sync:sqlite:\" + a[0] + \"?sync.log=\" + a[1];",
                "    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {",
                "      s.execute(\"CREATE TABLE note(id INTEGER PRIMARY KEY, body TEXT)\");",
                "      s.executeUpdate(\"INSERT INTO note(body) VALUES ('hello')\");",
                "      try (ResultSet rs = s.executeQuery(\"CALL sync_status()\")) {",
                "        rs.next();",
                "        System.out.println(\"pending=\" + rs.getLong(\"pending_changes\"));",
                "      }",
                "      Driver d = DriverManager.getDriver(url);",
                "      System.out.println(\"version=\" + d.getMajorVersion() + \".\" + d.getMinorVersion());",
                "    }",
                "  }",
                "}"), StandardCharsets.UTF_8);
        String out = StandaloneJava.run(probe, dir.resolve("app.db").toString(), dir.resolve("log").toString());
        assertTrue(out.contains("pending=1"), out);
        assertTrue(out.contains("version=0.1"), out);
    }

    @Test
    void bundlesItsDependenciesRelocatedAndNoDatabaseDriver() throws Exception {
        try (JarFile jar = new JarFile(StandaloneJava.standaloneJar().toFile())) {
            List<String> names = jar.stream().map(e -> e.getName()).toList();
            assertTrue(names.stream().anyMatch(n -> n.startsWith("io/jdbcsync/shaded/jsqlparser/")));
            assertTrue(names.stream().noneMatch(n -> n.startsWith("net/sf/jsqlparser/")));
            assertTrue(names.stream().noneMatch(n -> n.startsWith("org/slf4j/")));
            assertTrue(names.stream().noneMatch(n -> n.startsWith("org/sqlite/") || n.startsWith("org/mariadb/")));
            assertEquals("io.jdbcsync", jar.getManifest().getMainAttributes().getValue("Automatic-Module-Name"));
        }
    }
}
