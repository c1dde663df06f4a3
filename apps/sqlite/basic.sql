-- A database file: create, insert, query, update, delete, transactions.
CREATE TABLE people(id INTEGER PRIMARY KEY, name TEXT NOT NULL, age INTEGER, city TEXT);
INSERT INTO people(name, age, city) VALUES
  ('Ada', 36, 'London'), ('Linus', 28, 'Helsinki'), ('Grace', 45, 'New York'),
  ('Ken', 52, 'New York'), ('Barbara', 41, 'Boston'), ('Dennis', 30, 'New York');
SELECT count(*), sum(age), min(age), max(age), avg(age) FROM people;
SELECT name, age FROM people WHERE age > 35 ORDER BY age DESC;
SELECT city, count(*) AS n FROM people GROUP BY city ORDER BY n DESC, city;
UPDATE people SET age = age + 1 WHERE city = 'New York';
SELECT name, age FROM people WHERE city = 'New York' ORDER BY name;
DELETE FROM people WHERE name = 'Linus';
SELECT group_concat(name, ',') FROM (SELECT name FROM people ORDER BY id);
BEGIN;
INSERT INTO people(name, age, city) VALUES ('Temp', 1, 'Nowhere');
ROLLBACK;
SELECT count(*) FROM people WHERE name = 'Temp';
BEGIN;
CREATE TABLE numbers(n INTEGER);
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5000)
  INSERT INTO numbers SELECT x FROM c;
COMMIT;
SELECT count(*), sum(n), total(n * n) FROM numbers;
CREATE INDEX numbers_n ON numbers(n);
SELECT n FROM numbers WHERE n BETWEEN 2500 AND 2503;
CREATE TABLE blobs(k TEXT PRIMARY KEY, v BLOB) WITHOUT ROWID;
INSERT INTO blobs VALUES ('a', zeroblob(100000)), ('b', x'00ff10');
SELECT k, length(v), hex(substr(v, 1, 3)) FROM blobs ORDER BY k;
PRAGMA integrity_check;
.tables
.schema people
SELECT 'after reopen check', count(*) FROM people;
