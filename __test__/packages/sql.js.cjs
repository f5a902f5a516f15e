'use strict';
// Workload for sql.js (Emscripten SQLite): builds a database, queries it and hashes the export.
// Prints lines of results; the test compares the sha256 of this output across engines.
const { createHash } = require('node:crypto');
const initSqlJs = require('sql.js');

const ROWS = Number(process.env.SQL_ROWS || 20000);

(async () => {
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  db.run(`CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, city TEXT);
          CREATE TABLE orders (id INTEGER PRIMARY KEY, customer INTEGER, amount REAL, note TEXT);`);
  const cities = ['Oslo', 'Lima', 'Pune', 'Kyiv', 'Nice', 'Graz', 'Bern'];
  db.run('BEGIN');
  const addCustomer = db.prepare('INSERT INTO customers (name, city) VALUES (?, ?)');
  for (let i = 0; i < ROWS / 10; i++) addCustomer.run([`customer-${i}`, cities[i % cities.length]]);
  addCustomer.free();
  const addOrder = db.prepare('INSERT INTO orders (customer, amount, note) VALUES (?, ?, ?)');
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  for (let i = 0; i < ROWS; i++) {
    addOrder.run([1 + Math.floor(rand() * (ROWS / 10)), Math.round(rand() * 100000) / 100, `order ${i} ${'x'.repeat(i % 17)}`]);
  }
  addOrder.free();
  db.run('COMMIT');
  db.run('CREATE INDEX orders_customer ON orders (customer)');
  db.run('CREATE INDEX customers_city ON customers (city)');

  const out = [];
  const show = (sql) => {
    for (const { columns, values } of db.exec(sql)) {
      out.push(columns.join('|'));
      for (const row of values) out.push(row.join('|'));
    }
  };
  show(`SELECT c.city, COUNT(*) AS n, ROUND(SUM(o.amount), 2) AS total, ROUND(AVG(o.amount), 4) AS mean,
               MIN(o.amount), MAX(o.amount)
        FROM orders o JOIN customers c ON c.id = o.customer GROUP BY c.city ORDER BY c.city`);
  show(`SELECT c.name, COUNT(o.id) AS n FROM customers c LEFT JOIN orders o ON o.customer = c.id
        GROUP BY c.id ORDER BY n DESC, c.name LIMIT 10`);
  show(`SELECT length(group_concat(note, ',')), sum(length(note)) FROM orders WHERE amount > 500`);
  show(`SELECT printf('%.3f', avg(amount * amount) - avg(amount) * avg(amount)) FROM orders`);
  show(`EXPLAIN QUERY PLAN SELECT * FROM orders WHERE customer = 7`);
  show(`WITH RECURSIVE fib(a, b, n) AS (SELECT 0, 1, 0 UNION ALL SELECT b, a + b, n + 1 FROM fib WHERE n < 60)
        SELECT a FROM fib ORDER BY n DESC LIMIT 1`);
  // User-defined functions: sql.js adds a wasm wrapper for each JS function to the function
  // table (Table.grow + Table.set, after Table.set(jsFunction) threw a TypeError).
  db.create_function('js_hash', (s) => createHash('md5').update(String(s)).digest('hex').slice(0, 8));
  db.create_function('js_scale', (x, k) => x * k);
  db.create_aggregate('js_concat_len', { init: () => 0, step: (acc, v) => acc + String(v).length, finalize: (acc) => acc });
  show(`SELECT js_hash(name), js_scale(id, 3) FROM customers ORDER BY id LIMIT 5`);
  show(`SELECT c.city, js_concat_len(o.note) FROM orders o JOIN customers c ON c.id = o.customer GROUP BY c.city ORDER BY c.city`);
  // Blobs: ~24 MB in and out, so that the Emscripten heap grows (memory.grow via JS).
  db.run('CREATE TABLE blobs (id INTEGER PRIMARY KEY, data BLOB)');
  const blob = new Uint8Array(256 * 1024);
  for (let i = 0; i < blob.length; i++) blob[i] = (i * 2654435761) >>> 24;
  const addBlob = db.prepare('INSERT INTO blobs (data) VALUES (?)');
  for (let i = 0; i < 96; i++) {
    blob[0] = i;
    addBlob.run([blob]);
  }
  addBlob.free();
  const readBlobs = db.prepare('SELECT id, data FROM blobs WHERE id % 8 = 1 ORDER BY id');
  while (readBlobs.step()) {
    const [id, data] = readBlobs.get();
    out.push(`blob ${id} ${data.length} ${createHash('sha256').update(data).digest('hex')}`);
  }
  readBlobs.free();
  show('SELECT COUNT(*), SUM(length(data)) FROM blobs');
  db.run('DELETE FROM blobs WHERE id > 8');
  db.run('VACUUM');
  // Errors from SQLite come back as exceptions.
  for (const bad of ['SELEC 1', 'SELECT * FROM nowhere', 'INSERT INTO customers (id, name) VALUES (1, NULL)']) {
    try {
      db.exec(bad);
      out.push(`no error for ${bad}`);
    } catch (e) {
      out.push(`error: ${e.message}`);
    }
  }
  db.run('UPDATE orders SET amount = amount * 2 WHERE id % 3 = 0');
  db.run('DELETE FROM orders WHERE id % 7 = 0');
  show('SELECT COUNT(*), ROUND(SUM(amount), 2) FROM orders');
  show('PRAGMA integrity_check');
  const image = db.export();
  out.push(`export ${image.length} bytes sha256 ${createHash('sha256').update(image).digest('hex')}`);
  db.close();

  // Re-open the exported image and read from it.
  const db2 = new SQL.Database(image);
  const [{ values }] = db2.exec('SELECT COUNT(*), MAX(id) FROM orders');
  out.push(`reopened ${values[0].join('|')}`);
  db2.close();
  process.stdout.write(out.join('\n') + '\n');
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
