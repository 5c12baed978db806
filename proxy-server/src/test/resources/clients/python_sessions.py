"""Multi-statement texts (CLIENT_MULTI_STATEMENTS) and, with mysqlclient, COM_CHANGE_USER through the proxy."""
import sys

module, host, port, user, password, database, other, other_password = sys.argv[1:9]
if module == "pymysql":
    import pymysql as driver
    from pymysql.constants import CLIENT
    conn = driver.connect(host=host, port=int(port), user=user, password=password, database=database,
                          autocommit=True, client_flag=CLIENT.MULTI_STATEMENTS)
else:
    import MySQLdb as driver
    from MySQLdb.constants import CLIENT
    conn = driver.connect(host=host, port=int(port), user=user, passwd=password, db=database,
                          autocommit=True, client_flag=CLIENT.MULTI_STATEMENTS)


def results(cursor):
    """Every result of the last text: rows of a result set, or the affected-row count."""
    out = []
    while True:
        out.append(tuple(tuple(r) for r in cursor.fetchall()) if cursor.description else cursor.rowcount)
        if not cursor.nextset():
            return out


cur = conn.cursor()
table = "ms_" + module
cur.execute("CREATE TABLE %s (id BIGINT PRIMARY KEY AUTO_INCREMENT, v INT)" % table)

cur.execute("SELECT 1; SELECT 2")
got = results(cur)
assert got == [((1,),), ((2,),)], got

# Writes mixed with reads: each statement runs on its own through the driver, so each is captured.
cur.execute("INSERT INTO {t} (v) VALUES (1); SELECT COUNT(*) FROM {t}; UPDATE {t} SET v = v + 1;"
            " INSERT INTO {t} (v) VALUES (3), (4)".format(t=table))
got = results(cur)
assert got == [1, ((1,),), 1, 2], got
cur.execute("SELECT id, v FROM %s ORDER BY v" % table)
rows = cur.fetchall()
assert [r[1] for r in rows] == [2, 3, 4], rows
assert all(r[0] > 2 ** 40 for r in rows), "driver keys expected: %r" % (rows,)

# The first error ends the text, as on MariaDB; the connection goes on.
cur.execute("SELECT 5; SELECT no_such_column FROM %s; SELECT 6" % table)
assert cur.fetchall()[0][0] == 5
try:
    cur.nextset()
    raise AssertionError("the second statement must fail")
except driver.MySQLError as e:
    assert e.args[0] == 1054, e
cur = conn.cursor()
cur.execute("SELECT 7")
assert cur.fetchone()[0] == 7

if module == "mysqldb":
    # COM_CHANGE_USER: the other account logs in and the session starts over.
    cur.execute("SET @before = 1")
    cur.execute("CREATE TEMPORARY TABLE scratch (x INT)")
    conn.change_user(other, other_password, database)
    cur = conn.cursor()
    cur.execute("SELECT @before IS NULL")
    assert cur.fetchone()[0] == 1, "user variables reset"
    try:
        cur.execute("SELECT * FROM scratch")
        raise AssertionError("temporary tables must be gone")
    except driver.MySQLError as e:
        assert e.args[0] == 1146, e
    cur.execute("INSERT INTO %s (v) VALUES (9)" % table)
    assert cur.lastrowid > 2 ** 40
    try:
        conn.change_user(other, "wrong-password", database)
        raise AssertionError("a wrong password must be refused")
    except driver.MySQLError as e:
        assert e.args[0] == 1045, e

print("OK")
