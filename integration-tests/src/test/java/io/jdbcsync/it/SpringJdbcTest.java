package io.jdbcsync.it;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Spring's JdbcTemplate on a HikariCP pool of {@code jdbc:sync:} connections, two devices converging. */
class SpringJdbcTest {

    @ParameterizedTest
    @EnumSource(TwoDevices.Kind.class)
    void jdbcTemplateWritesConverge(TwoDevices.Kind kind) throws Exception {
        try (TwoDevices devices = new TwoDevices(kind)) {
            long[] ids = new long[2];
            for (int i = 0; i < 2; i++) {
                try (HikariDataSource ds = FlywayMigrationTest.dataSource(devices.url(i))) {
                    JdbcTemplate jdbc = new JdbcTemplate(ds);
                    jdbc.execute("CREATE TABLE account (id " + devices.autoKey() + ", owner VARCHAR(40) NOT NULL, balance INT NOT NULL)");
                    KeyHolder keys = new GeneratedKeyHolder();
                    String owner = "owner" + i;
                    jdbc.update(c -> {
                        PreparedStatement ps = c.prepareStatement("INSERT INTO account (owner, balance) VALUES (?, ?)",
                                Statement.RETURN_GENERATED_KEYS);
                        ps.setString(1, owner);
                        ps.setInt(2, 100);
                        return ps;
                    }, keys);
                    Number key = keys.getKey();
                    assertNotNull(key);
                    ids[i] = key.longValue();
                    assertEquals(owner, jdbc.queryForObject("SELECT owner FROM account WHERE id = ?", String.class, ids[i]));
                    int[] counts = jdbc.batchUpdate("INSERT INTO account (owner, balance) VALUES (?, ?)",
                            List.of(new Object[] {owner + "-a", 1}, new Object[] {owner + "-b", 2}));
                    assertEquals(2, counts.length);
                    NamedParameterJdbcTemplate named = new NamedParameterJdbcTemplate(jdbc);
                    assertEquals(1, named.update("UPDATE account SET balance = balance + :d WHERE id = :id",
                            new MapSqlParameterSource("d", 5).addValue("id", ids[i])));
                    TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(ds));
                    assertThrows(IllegalStateException.class, () -> tx.executeWithoutResult(status -> {
                        jdbc.update("UPDATE account SET balance = 0 WHERE owner = ?", owner + "-a");
                        throw new IllegalStateException("rolled back");
                    }));
                    tx.executeWithoutResult(status -> jdbc.update("DELETE FROM account WHERE owner = ?", owner + "-b"));
                }
            }
            devices.converge();
            List<String> expected = List.of("owner0|105", "owner0-a|1", "owner1|105", "owner1-a|1");
            for (int i = 0; i < 2; i++) {
                assertEquals(expected, devices.rows(i, "SELECT owner, balance FROM account ORDER BY owner"));
            }
            assertTrue(ids[0] != ids[1] && ids[0] > 1_000_000, "keys are the driver's, unique across devices");
        }
    }
}
