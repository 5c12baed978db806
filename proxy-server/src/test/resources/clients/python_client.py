"""A Python app through the proxy: PyMySQL or mysqlclient (MySQLdb), given as the first argument."""
import datetime
import decimal
import sys

module, host, port, user, password, database = sys.argv[1:7]
if module == "pymysql":
    import pymysql as driver
    conn = driver.connect(host=host, port=int(port), user=user, password=password, database=database,
                          charset="utf8mb4", autocommit=True)
else:
    import MySQLdb as driver
    conn = driver.connect(host=host, port=int(port), user=user, passwd=password, db=database,
                          charset="utf8mb4", autocommit=True)

cur = conn.cursor()
table = "py_" + module
cur.execute("CREATE TABLE %s (id BIGINT PRIMARY KEY AUTO_INCREMENT, name VARCHAR(40) NOT NULL, i INT,"
            " u BIGINT UNSIGNED, de DECIMAL(12,4), f DOUBLE, dt DATETIME(6), da DATE, tm TIME(6), y YEAR,"
            " j JSON, bl BLOB, tx TEXT)" % table)

# Insert with a generated key: lastrowid is the key the driver generated and stored.
cur.execute("INSERT INTO " + table + " (name) VALUES (%s)", ("first",))
key = cur.lastrowid
assert key > 2 ** 40, "driver key expected, got %r" % key
cur.execute("SELECT LAST_INSERT_ID()")
assert cur.fetchone()[0] == key
cur.execute("SELECT name FROM " + table + " WHERE id = %s", (key,))
assert cur.fetchone()[0] == "first"

# Every value type round-trips. (mysqlclient formats a timedelta without its microseconds, against
# MariaDB itself too, so it gets a whole-second TIME.)
micros = 4 if module == "pymysql" else 0
values = (-123456, 18446744073709551615, decimal.Decimal("-12345678.1234"), 2.5e-300,
          datetime.datetime(2024, 2, 29, 23, 59, 59, 999999), datetime.date(1999, 12, 31),
          datetime.timedelta(hours=49, minutes=2, seconds=3, microseconds=micros), 2155, '{"k": "é"}',
          bytes(range(256)), "héllo ☃ 𝄞")
cur.execute("INSERT INTO " + table + " (name, i, u, de, f, dt, da, tm, y, j, bl, tx)"
            " VALUES ('types', %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)", values)
typed = cur.lastrowid
cur.execute("SELECT i, u, de, f, dt, da, tm, y, j, bl, tx FROM " + table + " WHERE id = %s", (typed,))
row = cur.fetchone()
for got, want in zip(row, values):
    if isinstance(got, (bytes, bytearray)) and isinstance(want, str):
        got = got.decode("utf8")
    assert got == want, "got %r want %r" % (got, want)
cur.execute("SELECT NULL, 1.5, 'x'")
assert cur.fetchone() == (None, decimal.Decimal("1.5"), "x")

# Transactions: rollback leaves nothing, commit keeps.
conn.autocommit(False)
cur.execute("INSERT INTO " + table + " (name) VALUES ('rolled back')")
conn.rollback()
cur.execute("INSERT INTO " + table + " (name) VALUES ('committed')")
conn.commit()
conn.autocommit(True)
cur.execute("SELECT name FROM " + table + " WHERE name IN ('rolled back', 'committed')")
assert [r[0] for r in cur.fetchall()] == ["committed"]

# Errors carry MariaDB's code.
try:
    cur.execute("SELECT * FROM no_such_table")
    raise AssertionError("no error")
except driver.Error as e:
    assert e.args[0] == 1146, e.args
try:
    cur.execute("INSERT INTO " + table + " (id, name) VALUES (%s, 'dup')", (key,))
    raise AssertionError("no error")
except driver.IntegrityError as e:
    assert e.args[0] == 1062, e.args

# Control procedures run in the driver.
cur.execute("CALL sync_now()")
cur.fetchall()
cur.execute("CALL sync_status()")
names = [d[0] for d in cur.description]
status = dict(zip(names, cur.fetchone()))
assert status["pending_changes"] == 0, status
assert table in status["synced_tables"], status
conn.close()
print("OK", module, key)
