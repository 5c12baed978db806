package io.jdbcsync.proxy.clients;

import io.jdbcsync.proxy.ExternalClient;
import io.jdbcsync.proxy.RunningProxy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * sysbench oltp_read_write (libmariadb, BEGIN/COMMIT, server-side prepared statements or plain
 * queries) prepares its table and runs a few seconds through the proxy, with explicit ids
 * (--auto_inc=off) and with its INT AUTO_INCREMENT keys left to the driver (ids from key blocks).
 */
class SysbenchTest {

    @ParameterizedTest
    @ValueSource(strings = {"auto", "disable"})
    void oltpReadWriteRunsThroughTheProxy(String psMode) throws Exception {
        String sysbench = ExternalClient.require("sysbench", "apt-get install -y sysbench");
        try (RunningProxy proxy = RunningProxy.start()) {
            List<String> common = List.of("--mysql-host=127.0.0.1", "--mysql-port=" + proxy.port(),
                    "--mysql-user=" + RunningProxy.USER, "--mysql-password=" + RunningProxy.PASSWORD,
                    "--mysql-db=" + proxy.database(), "--tables=1", "--table-size=500", "--auto_inc=off",
                    "--db-ps-mode=" + psMode);
            ExternalClient.run(command(sysbench, "oltp_read_write", common, "prepare"), Map.of(), null, 300);
            List<String> run = new ArrayList<>(common);
            run.add("--time=3");
            run.add("--threads=2");
            String out = ExternalClient.run(command(sysbench, "oltp_read_write", run, "run"), Map.of(), null, 300);
            Matcher m = Pattern.compile("transactions:\\s+(\\d+)").matcher(out);
            assertTrue(m.find(), out);
            assertTrue(Long.parseLong(m.group(1)) > 0, out);
            try (Connection c = proxy.direct(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM sbtest1")) {
                rs.next();
                // Every transaction deletes one row and inserts it back.
                assertEquals(500, rs.getInt(1));
            }
            assertTrue(proxy.db().logRows().size() >= 500, "prepare's inserts and the run's writes were captured");
        }
    }

    /**
     * sysbench's own prepare, with its INT AUTO_INCREMENT key left to the database: the driver
     * hands out ids from blocks claimed through the shared log, which fit the INT column; the run
     * that follows finds its rows by those ids.
     */
    @org.junit.jupiter.api.Test
    void prepareLeavesTheIntKeysToTheDriver() throws Exception {
        String sysbench = ExternalClient.require("sysbench", "apt-get install -y sysbench");
        try (RunningProxy proxy = RunningProxy.start()) {
            List<String> common = List.of("--mysql-host=127.0.0.1", "--mysql-port=" + proxy.port(),
                    "--mysql-user=" + RunningProxy.USER, "--mysql-password=" + RunningProxy.PASSWORD,
                    "--mysql-db=" + proxy.database(), "--tables=1", "--table-size=500", "--auto_inc=on");
            ExternalClient.run(command(sysbench, "oltp_read_write", common, "prepare"), Map.of(), null, 300);
            List<String> run = new ArrayList<>(common);
            run.add("--time=2");
            String out = ExternalClient.run(command(sysbench, "oltp_read_write", run, "run"), Map.of(), null, 300);
            Matcher m = Pattern.compile("transactions:\\s+(\\d+)").matcher(out);
            assertTrue(m.find() && Long.parseLong(m.group(1)) > 0, out);
            try (Connection c = proxy.direct(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT COUNT(*), COUNT(DISTINCT id), MAX(id) FROM sbtest1")) {
                rs.next();
                assertEquals(500, rs.getInt(1));
                assertEquals(500, rs.getInt(2));
                assertTrue(rs.getLong(3) <= Integer.MAX_VALUE, "ids fit the INT column");
            }
        }
    }

    private static List<String> command(String sysbench, String test, List<String> options, String action) {
        List<String> cmd = new ArrayList<>();
        cmd.add(sysbench);
        cmd.add(test);
        cmd.addAll(options);
        cmd.add(action);
        return cmd;
    }
}
