// A Node app through the proxy with mysql2: query() (text protocol) and execute() (binary protocol).
const mysql = require('mysql2/promise');
const assert = require('assert');

async function main() {
  const [host, port, user, password, database] = process.argv.slice(2);
  const conn = await mysql.createConnection({host, port: Number(port), user, password, database,
    supportBigNumbers: true, bigNumberStrings: true, dateStrings: true, charset: 'utf8mb4'});
  await conn.query('CREATE TABLE node_t (id BIGINT PRIMARY KEY AUTO_INCREMENT, name VARCHAR(40) NOT NULL,'
    + ' i INT, u BIGINT UNSIGNED, de DECIMAL(12,4), f DOUBLE, dt DATETIME(6), da DATE, tm TIME, j JSON,'
    + ' bl BLOB, tx TEXT)');

  for (const how of ['query', 'execute']) {
    const [res] = await conn[how]('INSERT INTO node_t (name) VALUES (?)', ['first-' + how]);
    const key = BigInt(res.insertId);
    assert.ok(key > 2n ** 40n, 'driver key expected, got ' + res.insertId);
    const [[last]] = await conn[how]('SELECT LAST_INSERT_ID() AS k');
    assert.strictEqual(BigInt(last.k), key);

    const blob = Buffer.from([0, 1, 2, 0xfe, 0xff]);
    const values = [-123456, '18446744073709551615', '-12345678.1234', 2.5e-300, '2024-02-29 23:59:59.999999',
      '1999-12-31', '-49:02:03', '{"k": "é"}', blob, 'héllo ☃ 𝄞'];
    const [ins] = await conn[how]('INSERT INTO node_t (name, i, u, de, f, dt, da, tm, j, bl, tx)'
      + ' VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', ['types-' + how, ...values]);
    assert.strictEqual(ins.affectedRows, 1);
    const [[row]] = await conn[how]('SELECT i, u, de, f, dt, da, tm, j, bl, tx FROM node_t WHERE id = ?',
      [String(ins.insertId)]);
    assert.strictEqual(row.i, -123456);
    assert.strictEqual(String(row.u), '18446744073709551615');
    assert.strictEqual(row.de, '-12345678.1234');
    assert.strictEqual(row.f, 2.5e-300);
    assert.strictEqual(row.dt, '2024-02-29 23:59:59.999999');
    assert.strictEqual(row.da, '1999-12-31');
    assert.strictEqual(row.tm, '-49:02:03');
    assert.deepStrictEqual(typeof row.j === 'string' ? JSON.parse(row.j) : row.j, {k: 'é'});
    assert.ok(Buffer.from(row.bl).equals(blob));
    assert.strictEqual(row.tx, 'héllo ☃ 𝄞');

    await conn.beginTransaction();
    await conn[how]('INSERT INTO node_t (name) VALUES (?)', ['rolled-back-' + how]);
    await conn.rollback();
    const [gone] = await conn[how]('SELECT COUNT(*) AS n FROM node_t WHERE name = ?', ['rolled-back-' + how]);
    assert.strictEqual(Number(gone[0].n), 0);

    await assert.rejects(conn[how]('SELECT * FROM no_such_table'), (e) => e.errno === 1146 && e.sqlState === '42S02');
  }

  await conn.query('CALL sync_now()');
  const [status] = await conn.query('CALL sync_status()');
  const st = Array.isArray(status[0]) ? status[0][0] : status[0];
  assert.strictEqual(Number(st.pending_changes), 0);
  assert.ok(st.synced_tables.includes('node_t'));
  await conn.end();
  console.log('OK mysql2');
}

main().catch((e) => { console.error(e); process.exit(1); });
