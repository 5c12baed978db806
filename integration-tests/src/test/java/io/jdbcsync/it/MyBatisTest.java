package io.jdbcsync.it;

import com.zaxxer.hikari.HikariDataSource;
import org.apache.ibatis.annotations.Delete;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Options;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;
import org.apache.ibatis.mapping.Environment;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;
import org.apache.ibatis.session.SqlSessionFactoryBuilder;
import org.apache.ibatis.transaction.jdbc.JdbcTransactionFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MyBatis mappers (generated keys, updates, deletes, selects) on {@code jdbc:sync:}, two devices converging. */
class MyBatisTest {

    public static class Book {
        public Long id;
        public String title;
        public int copies;
    }

    public interface BookMapper {
        @Insert("INSERT INTO book (title, copies) VALUES (#{title}, #{copies})")
        @Options(useGeneratedKeys = true, keyProperty = "id", keyColumn = "id")
        int insert(Book book);

        @Update("UPDATE book SET copies = #{copies} WHERE id = #{id}")
        int update(Book book);

        @Delete("DELETE FROM book WHERE title = #{title}")
        int deleteByTitle(String title);

        @Select("SELECT id, title, copies FROM book WHERE id = #{id}")
        Book find(long id);

        @Select("SELECT title FROM book ORDER BY title")
        List<String> titles();
    }

    @ParameterizedTest
    @EnumSource(TwoDevices.Kind.class)
    void mapperWritesConverge(TwoDevices.Kind kind) throws Exception {
        try (TwoDevices devices = new TwoDevices(kind)) {
            for (int i = 0; i < 2; i++) {
                try (HikariDataSource ds = FlywayMigrationTest.dataSource(devices.url(i))) {
                    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                        s.execute("CREATE TABLE book (id " + devices.autoKey() + ", title VARCHAR(80) NOT NULL, copies INT NOT NULL)");
                    }
                    Configuration config = new Configuration(new Environment("device" + i, new JdbcTransactionFactory(), ds));
                    config.addMapper(BookMapper.class);
                    SqlSessionFactory factory = new SqlSessionFactoryBuilder().build(config);
                    try (SqlSession session = factory.openSession()) {
                        BookMapper books = session.getMapper(BookMapper.class);
                        Book b = new Book();
                        b.title = "book of device " + i;
                        b.copies = 1;
                        assertEquals(1, books.insert(b));
                        assertNotNull(b.id);
                        assertTrue(b.id > 1_000_000, "the driver's key is reported: " + b.id);
                        Book scrap = new Book();
                        scrap.title = "scrap " + i;
                        books.insert(scrap);
                        b.copies = 3;
                        assertEquals(1, books.update(b));
                        assertEquals(1, books.deleteByTitle("scrap " + i));
                        session.commit();
                        assertEquals(3, books.find(b.id).copies);
                    }
                }
            }
            devices.converge();
            for (int i = 0; i < 2; i++) {
                assertEquals(List.of("book of device 0|3", "book of device 1|3"),
                        devices.rows(i, "SELECT title, copies FROM book ORDER BY title"));
            }
        }
    }
}
