import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClickHouse, migrate, readMigrations } from '@social-pulse/clickhouse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platform } from '@social-pulse/testing';

describe('ClickHouse migrations', () => {
  const database = `migrations_test_${Date.now()}`;
  const admin = createClickHouse({ url: platform.clickhouseUrl });
  const client = createClickHouse({ url: platform.clickhouseUrl, database });
  const dir = mkdtempSync(join(tmpdir(), 'migrations-'));

  beforeAll(async () => {
    await admin.command({ query: `CREATE DATABASE ${database}` });
    writeFileSync(join(dir, '0001_events.sql'), 'CREATE TABLE events (id String) ENGINE = MergeTree ORDER BY id;');
    writeFileSync(
      join(dir, '0002_more.sql'),
      'ALTER TABLE events ADD COLUMN n UInt8;\nCREATE TABLE other (x UInt8) ENGINE = Memory;',
    );
  });
  afterAll(async () => {
    await admin.command({ query: `DROP DATABASE IF EXISTS ${database}` });
    await Promise.all([admin.close(), client.close()]);
  });

  it('should apply each migration once, in order, and record it', async () => {
    const first = await migrate(client, readMigrations(dir));
    expect(first.applied.map((m) => m.version)).toEqual([1, 2]);
    const columns = await (
      await client.query({ query: 'DESCRIBE TABLE events', format: 'JSONEachRow' })
    ).json<{ name: string }>();
    expect(columns.map((c) => c.name)).toEqual(['id', 'n']);

    const second = await migrate(client, readMigrations(dir));
    expect(second).toMatchObject({ applied: [], alreadyApplied: 2 });
  });

  it('should refuse to run when an applied migration was edited', async () => {
    writeFileSync(
      join(dir, '0001_events.sql'),
      'CREATE TABLE events (id String, edited UInt8) ENGINE = MergeTree ORDER BY id;',
    );
    await expect(migrate(client, readMigrations(dir))).rejects.toThrow(/0001_events changed after it was applied/);
  });
});
