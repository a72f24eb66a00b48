import { describe, expect, it } from 'vitest';
import { isReadStatement, leavesConnectionState, setStatementNames } from './session-state';

describe(leavesConnectionState.name, () => {
  it.each([
    'SET max_threads = 1',
    'set readonly = 0',
    'USE system',
    '/* hidden */ USE system',
    'CREATE TEMPORARY TABLE trending_topics (x UInt8)',
    'CREATE OR REPLACE TEMPORARY TABLE trending_topics (x UInt8)',
    'create or replace temporary table trending_topics AS SELECT 1',
    'CREATE TEMPORARY TABLE IF NOT EXISTS t (x UInt8)',
    'REPLACE TEMPORARY TABLE t AS SELECT 1',
    'DROP TEMPORARY TABLE t',
    'TRUNCATE TEMPORARY TABLE t',
    'CREATE /* c */ OR -- c\n REPLACE TEMPORARY TABLE t (x UInt8)',
    'SET PROFILE readonly',
    'SET ROLE admin',
    'SET param_x = 1',
    'SYSTEM DROP QUERY CACHE',
    'BEGIN TRANSACTION',
    'CREATE SETTINGS PROFILE p SETTINGS readonly = 1',
    'CREATE FUNCTION f AS x -> x',
    'ALTER USER default SETTINGS readonly = 1',
    'EXPLAIN SELECT 1',
    'KILL QUERY WHERE 1',
    'GRANT SELECT ON *.* TO u',
    'whatever',
    '',
    '  -- only a comment',
  ])('should taint the connection for %j', (sql) => {
    expect(leavesConnectionState(sql)).toBe(true);
  });

  it.each([
    'SELECT * FROM trending_topics',
    '(SELECT 1) UNION ALL (SELECT 2)',
    'WITH 1 AS x SELECT x',
    'WITH 1 AS x INSERT INTO t SELECT x',
    'SELECT 1 SETTINGS max_threads = 1',
    'INSERT INTO trending_topics FORMAT JSONEachRow',
    "INSERT INTO t VALUES ('TEMPORARY')",
    'SHOW TABLES',
    'DESCRIBE TABLE t',
    'EXISTS TABLE t',
    'CREATE TABLE t (x UInt8) ENGINE = MergeTree ORDER BY x',
    'CREATE OR REPLACE TABLE t (x UInt8) ENGINE = Memory',
    'CREATE MATERIALIZED VIEW v TO t AS SELECT 1',
    'CREATE DATABASE d',
    'DROP TABLE IF EXISTS t',
    'ALTER TABLE t DELETE WHERE 1',
    'RENAME TABLE a TO b',
    'EXCHANGE TABLES a AND b',
    'TRUNCATE TABLE t',
    'OPTIMIZE TABLE t FINAL',
    "SELECT 'CREATE TEMPORARY TABLE'",
  ])('should keep the connection for %j', (sql) => {
    expect(leavesConnectionState(sql)).toBe(false);
  });
});

describe(isReadStatement.name, () => {
  it('should accept reads and refuse writes, WITH ... INSERT included', () => {
    for (const sql of ['SELECT 1', ' (SELECT 1)', 'WITH 1 AS x SELECT x', 'SHOW TABLES', 'DESC t', 'EXISTS t'])
      expect(isReadStatement(sql)).toBe(true);
    for (const sql of [
      'INSERT INTO t VALUES (1)',
      'WITH 1 AS x INSERT INTO t SELECT x',
      'CREATE TEMPORARY TABLE t (x UInt8)',
      'SET max_threads = 1',
      'DROP TABLE t',
      '',
    ])
      expect(isReadStatement(sql)).toBe(false);
  });
});

describe(setStatementNames.name, () => {
  it('should list the names a SET assigns, and nothing for other statements', () => {
    expect(setStatementNames("SET max_threads = 1, `readonly` = 0, x = (1, 2), s = 'a,b'")).toEqual([
      'max_threads',
      'readonly',
      'x',
      's',
    ]);
    expect(setStatementNames('SELECT 1')).toEqual([]);
    expect(setStatementNames('SET PROFILE p')).toEqual(['PROFILE']);
  });
});
