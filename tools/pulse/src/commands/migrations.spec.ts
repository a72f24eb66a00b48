import { InvalidArgumentError } from 'commander';
import type { Migration } from '@social-pulse/clickhouse';
import { describe, expect, it } from 'vitest';
import { migrationsScript, parseIdentifier } from './migrations';

const migrations: Migration[] = [
  {
    version: 1,
    name: 'counts',
    checksum: 'x',
    statements: ['CREATE TABLE counts (id String, n UInt64) ENGINE = SummingMergeTree ORDER BY id'],
  },
];

describe(parseIdentifier.name, () => {
  it.each(['pulse_cluster', 'default', '_c1', ''])('should take %j', (value) => {
    expect(parseIdentifier(value)).toBe(value);
  });

  it.each(['pulse-cluster', '9c', 'a b', 'db.t'])('should refuse %j as commander reports it', (value) => {
    expect(() => parseIdentifier(value)).toThrow(InvalidArgumentError);
  });
});

describe(migrationsScript.name, () => {
  it("should print one server's migrations as the files have them, each statement ended by ;", () => {
    const script = migrationsScript(migrations, '', 'default');
    expect(script).toMatch(/^-- clickhouse\/migrations for a single ClickHouse server\./);
    expect(script).toContain(`-- 0001_counts.sql\n\n${migrations[0].statements[0]};\n`);
  });

  it('should print them rendered for a cluster, naming the database in the Distributed tables', () => {
    const script = migrationsScript(
      [{ ...migrations[0], name: 'sessions', statements: [migrations[0].statements[0].replace(/counts/, 'sessions')] }],
      'pulse_cluster',
      'analytics',
    );
    expect(script).toContain('CREATE TABLE sessions_local ON CLUSTER pulse_cluster');
    expect(script).toContain('ENGINE = Distributed(pulse_cluster, analytics, sessions_local, cityHash64(user_id));\n');
  });
});
