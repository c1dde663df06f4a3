-- Queries: joins, subqueries, CTEs, window functions, functions, views,
-- triggers, JSON; formatted output modes.
CREATE TABLE dept(id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE emp(id INTEGER PRIMARY KEY, name TEXT, dept INTEGER REFERENCES dept(id), salary REAL);
INSERT INTO dept VALUES (1, 'eng'), (2, 'ops'), (3, 'empty');
INSERT INTO emp(name, dept, salary) VALUES
  ('a', 1, 100.5), ('b', 1, 200.25), ('c', 2, 150), ('d', 2, 50), ('e', 1, 300), ('f', NULL, 10);
SELECT d.name, count(e.id), round(sum(e.salary), 2) FROM dept d LEFT JOIN emp e ON e.dept = d.id
  GROUP BY d.id ORDER BY d.id;
SELECT name FROM emp WHERE salary > (SELECT avg(salary) FROM emp) ORDER BY name;
SELECT name, salary, rank() OVER (PARTITION BY dept ORDER BY salary DESC) AS r,
  sum(salary) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS running
  FROM emp ORDER BY id;
WITH RECURSIVE fib(a, b, i) AS (SELECT 0, 1, 0 UNION ALL SELECT b, a + b, i + 1 FROM fib WHERE i < 30)
  SELECT group_concat(a, ' ') FROM fib;
CREATE VIEW rich AS SELECT name FROM emp WHERE salary >= 150;
SELECT * FROM rich ORDER BY name;
CREATE TABLE log(msg TEXT);
CREATE TRIGGER emp_ins AFTER INSERT ON emp BEGIN INSERT INTO log VALUES ('new ' || NEW.name); END;
INSERT INTO emp(name, dept, salary) VALUES ('g', 3, 75);
SELECT * FROM log;
SELECT upper('abc'), lower('ÀB'), length('héllo'), substr('abcdef', 2, 3), replace('aaa', 'a', 'bb'),
  instr('hello', 'll'), trim('  x  '), printf('%05d|%.3f|%s', 42, 3.14159, 'str'), typeof(1.0), typeof(x'00');
SELECT abs(-5), 7 / 2, 7 % 3, 7.0 / 2, cast('12abc' AS INTEGER), coalesce(NULL, NULL, 'c'), nullif(1, 1) IS NULL;
SELECT date('2024-02-28', '+1 day'), datetime('2000-01-01 00:00:00', '+36 hours'), strftime('%j', '2023-12-31'),
  julianday('2024-03-01') - julianday('2024-02-01');
SELECT json_object('a', 1, 'b', json_array(1, 2, 'x')), json_extract('{"k":{"n":[5,6]}}', '$.k.n[1]');
SELECT key, value FROM json_each('[10, 20, 30]');
.mode csv
SELECT * FROM dept;
.mode column
.headers on
SELECT id, name FROM emp WHERE dept = 1 ORDER BY id;
.mode line
SELECT count(*) AS total FROM emp;
