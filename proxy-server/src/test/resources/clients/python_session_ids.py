"""Under multiplexing: CONNECTION_ID(), SHOW PROCESSLIST and KILL agree on the session's own id, and
LAST_INSERT_ID() is the session's, whichever backend connection serves it. PyMySQL or mysqlclient."""
import sys

module, host, port, user, password, database = sys.argv[1:7]
if module == "pymysql":
    import pymysql as driver

    def connect():
        return driver.connect(host=host, port=int(port), user=user, password=password, database=database,
                              autocommit=True)
else:
    import MySQLdb as driver

    def connect():
        return driver.connect(host=host, port=int(port), user=user, passwd=password, db=database, autocommit=True)


def one(conn, sql):
    cur = conn.cursor()
    cur.execute(sql)
    return cur.fetchone()[0]


a, b = connect(), connect()
a_id, b_id = a.thread_id(), b.thread_id()
assert a_id != b_id
for _ in range(3):
    assert one(a, "SELECT CONNECTION_ID()") == a_id, "CONNECTION_ID() is the handshake's id"
    assert one(b, "SELECT CONNECTION_ID()") == b_id

cur = b.cursor()
cur.execute("SHOW FULL PROCESSLIST")
names = [d[0] for d in cur.description]
assert names[:8] == ["Id", "User", "Host", "db", "Command", "Time", "State", "Info"], names
rows = {r[0]: r for r in cur.fetchall()}
assert rows[a_id][4] == "Sleep" and rows[a_id][3] == database, rows[a_id]
assert rows[b_id][7] == "SHOW PROCESSLIST", rows[b_id]

table = "ids_" + module
a.cursor().execute("CREATE TABLE %s (id BIGINT PRIMARY KEY AUTO_INCREMENT, v INT)" % table)
cur = a.cursor()
cur.execute("INSERT INTO " + table + " (v) VALUES (1)")
key = cur.lastrowid
assert key > 2 ** 40, "driver key expected, got %r" % key
cur = b.cursor()
cur.execute("INSERT INTO " + table + " (v) VALUES (2)")
other_key = cur.lastrowid
assert other_key != key
assert one(a, "SELECT LAST_INSERT_ID()") == key, "each session its own LAST_INSERT_ID()"
assert one(b, "SELECT LAST_INSERT_ID()") == other_key
a.cursor().execute("UPDATE " + table + " SET v = 5 WHERE id = LAST_INSERT_ID()")
assert one(a, "SELECT v FROM %s WHERE id = %d" % (table, key)) == 5

b.cursor().execute("KILL %d" % a_id)
try:
    one(a, "SELECT 1")
    raise AssertionError("the killed session must be gone")
except driver.MySQLError:
    pass
try:
    b.cursor().execute("KILL %d" % a_id)
    raise AssertionError("a session that is gone is an unknown thread id")
except driver.MySQLError as e:
    assert e.args[0] == 1094, e
print("OK")
