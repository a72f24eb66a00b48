import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR } from './index';
import { readMigrations, splitStatements } from './migrations';

describe(splitStatements.name, () => {
  it('should split on semicolons that end a line and drop comment lines', () => {
    const sql = `-- a table\nCREATE TABLE a (x String DEFAULT 'a;b');\n\n-- another\nCREATE TABLE b (y UInt8);\n`;
    expect(splitStatements(sql)).toEqual([`CREATE TABLE a (x String DEFAULT 'a;b')`, 'CREATE TABLE b (y UInt8)']);
  });
});

describe(readMigrations.name, () => {
  it('should read versioned files in order and ignore others', () => {
    const dir = mkdtempSync(join(tmpdir(), 'migrations-'));
    writeFileSync(join(dir, '0002_second.sql'), 'SELECT 2;');
    writeFileSync(join(dir, '0001_first.sql'), 'SELECT 1;');
    writeFileSync(join(dir, 'notes.md'), '# not a migration');
    const migrations = readMigrations(dir);
    expect(migrations.map((m) => [m.version, m.name])).toEqual([
      [1, 'first'],
      [2, 'second'],
    ]);
    expect(migrations[0].checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  it('should find the project migrations with unique versions', () => {
    const versions = readMigrations(MIGRATIONS_DIR).map((m) => m.version);
    expect(versions.length).toBeGreaterThan(0);
    expect(new Set(versions).size).toBe(versions.length);
  });
});
