package io.jdbcsync.it;

import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * jOOQ on {@code jdbc:sync:}: its {@code INSERT ... RETURNING} (how it fetches generated keys on
 * both databases) gets the key the driver stored; updates and deletes are captured; devices converge.
 */
class JooqTest {
    private static final Table<Record> ITEM = DSL.table(DSL.name("item"));
    private static final Field<Long> ID = DSL.field(DSL.name("id"), Long.class);
    private static final Field<String> NAME = DSL.field(DSL.name("name"), String.class);
    private static final Field<Integer> QTY = DSL.field(DSL.name("qty"), Integer.class);

    @ParameterizedTest
    @EnumSource(TwoDevices.Kind.class)
    void queriesConverge(TwoDevices.Kind kind) throws Exception {
        try (TwoDevices devices = new TwoDevices(kind)) {
            for (int i = 0; i < 2; i++) {
                try (Connection c = devices.open(i)) {
                    DSLContext db = DSL.using(c, kind == TwoDevices.Kind.SQLITE ? SQLDialect.SQLITE : SQLDialect.MARIADB);
                    db.execute("CREATE TABLE item (id " + devices.autoKey() + ", name VARCHAR(40) NOT NULL, qty INT NOT NULL)");
                    Record r = db.insertInto(ITEM).columns(NAME, QTY).values("item" + i, 1).returning(ID).fetchOne();
                    assertNotNull(r);
                    long id = r.get(ID);
                    assertTrue(id > 1_000_000, "the stored key is returned: " + id);
                    db.insertInto(ITEM).columns(NAME, QTY).values("gone" + i, 1).values("also gone" + i, 2).execute();
                    assertEquals(1, db.update(ITEM).set(QTY, 7).where(ID.eq(id)).execute());
                    assertEquals(2, db.deleteFrom(ITEM).where(NAME.like("%gone" + i)).execute());
                    assertEquals(7, db.select(QTY).from(ITEM).where(ID.eq(id)).fetchOne(QTY));
                }
            }
            devices.converge();
            for (int i = 0; i < 2; i++) {
                assertEquals(List.of("item0|7", "item1|7"), devices.rows(i, "SELECT name, qty FROM item ORDER BY name"));
            }
        }
    }
}
