import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import { describe, expect, it } from 'vitest';
import { renderForCluster, SHARDING_KEYS, statementRule, type ClusterTarget } from './cluster-migrations';
import { MIGRATIONS_DIR } from './index';
import { migrate, readMigrations, splitStatements, type Migration } from './migrations';

const target: ClusterTarget = { cluster: 'pulse_cluster', database: 'analytics' };
const PATH = `'/clickhouse/tables/{shard}/{database}/{table}', '{replica}'`;
const keys = { a: 'cityHash64(id)', b: 'cityHash64(id)', c: 'cityHash64(id)' };

/** One migration of these statements, as readMigrations would give it. */
const migration = (statements: string[], version = 1): Migration => ({
  version,
  name: `m${version}`,
  checksum: 'x',
  statements,
});

/** The statements rendered for pulse_cluster, the small tables a, b and c sharded by id. */
const render = (...statements: string[]) => renderForCluster([migration(statements)], target, keys)[0].statements;

const A = 'CREATE TABLE a (id String, v UInt64) ENGINE = MergeTree ORDER BY id';

describe(renderForCluster.name, () => {
  describe('tables', () => {
    it('should create the replicated local table, then the Distributed table under the name the apps use', () => {
      expect(
        render('CREATE TABLE IF NOT EXISTS a\n(\n    id String\n)\nENGINE = ReplacingMergeTree(v)\nORDER BY id'),
      ).toEqual([
        `CREATE TABLE IF NOT EXISTS a_local ON CLUSTER pulse_cluster\n(\n    id String\n)\nENGINE = ReplicatedReplacingMergeTree(${PATH}, v)\nORDER BY id`,
        'CREATE TABLE IF NOT EXISTS a ON CLUSTER pulse_cluster AS a_local\n' +
          'ENGINE = Distributed(pulse_cluster, analytics, a_local, cityHash64(id))',
      ]);
    });

    it.each([
      ['MergeTree', `ReplicatedMergeTree(${PATH})`],
      ['MergeTree()', `ReplicatedMergeTree(${PATH})`],
      ['AggregatingMergeTree', `ReplicatedAggregatingMergeTree(${PATH})`],
      ['ReplacingMergeTree(revision, is_deleted)', `ReplicatedReplacingMergeTree(${PATH}, revision, is_deleted)`],
      ['SummingMergeTree((clicks, spend))', `ReplicatedSummingMergeTree(${PATH}, (clicks, spend))`],
      ['CollapsingMergeTree(sign)', `ReplicatedCollapsingMergeTree(${PATH}, sign)`],
      ['VersionedCollapsingMergeTree(sign, version)', `ReplicatedVersionedCollapsingMergeTree(${PATH}, sign, version)`],
    ])('should make ENGINE = %s replicated, keeping its arguments', (engine, replicated) => {
      const [local] = render(`CREATE TABLE a (id String) ENGINE = ${engine} ORDER BY (id)`);
      expect(local).toBe(
        `CREATE TABLE a_local ON CLUSTER pulse_cluster (id String) ENGINE = ${replicated} ORDER BY (id)`,
      );
    });

    it('should keep the deduplication window as the replicated setting', () => {
      const [local] = render(`${A}\nSETTINGS non_replicated_deduplication_window = 1000, index_granularity = 8192`);
      expect(local).toMatch(/\nSETTINGS replicated_deduplication_window = 1000, index_granularity = 8192$/);
    });

    it("should copy another table's columns from its local table", () => {
      expect(render(A, 'CREATE TABLE IF NOT EXISTS b AS a\nENGINE = AggregatingMergeTree\nORDER BY id')).toEqual([
        expect.any(String),
        expect.any(String),
        `CREATE TABLE IF NOT EXISTS b_local ON CLUSTER pulse_cluster AS a_local\nENGINE = ReplicatedAggregatingMergeTree(${PATH})\nORDER BY id`,
        'CREATE TABLE IF NOT EXISTS b ON CLUSTER pulse_cluster AS b_local\n' +
          'ENGINE = Distributed(pulse_cluster, analytics, b_local, cityHash64(id))',
      ]);
    });

    it.each([
      [
        'an engine without a replicated variant',
        'CREATE TABLE a (id String) ENGINE = Memory',
        /Memory has no replicated/,
      ],
      ['a table without an engine', 'CREATE TABLE a (id String) ORDER BY id', /without ENGINE/],
      ['a table without a sharding key', 'CREATE TABLE z (id String) ENGINE = MergeTree ORDER BY id', /SHARDING_KEYS/],
      [
        'a copy of an unknown table',
        'CREATE TABLE b AS nowhere ENGINE = MergeTree ORDER BY id',
        /nowhere is not a table/,
      ],
    ])('should refuse %s', (_, statement, message) => {
      expect(() => render(statement)).toThrow(message);
    });
  });

  describe('materialized views', () => {
    it('should write to the local target and read the local sources, subqueries and joins included', () => {
      const view =
        'CREATE MATERIALIZED VIEW IF NOT EXISTS c_mv TO c AS\nSELECT id, count() AS v\n' +
        "FROM (SELECT id FROM a JOIN b USING id WHERE id != 'FROM a')\nGROUP BY id";
      expect(render(A, A.replace('a (', 'b ('), A.replace('a (', 'c ('), view).at(-1)).toBe(
        'CREATE MATERIALIZED VIEW IF NOT EXISTS c_mv ON CLUSTER pulse_cluster TO c_local AS\nSELECT id, count() AS v\n' +
          "FROM (SELECT id FROM a_local JOIN b_local USING id WHERE id != 'FROM a')\nGROUP BY id",
      );
    });

    it('should refuse a view without TO (its inner table would not be distributed)', () => {
      expect(() => render(A, 'CREATE MATERIALIZED VIEW v ENGINE = MergeTree ORDER BY id AS SELECT id FROM a')).toThrow(
        /no cluster rule/,
      );
    });
  });

  describe('DROP', () => {
    it('should drop the Distributed table, then the local one, freeing its replica path (SYNC)', () => {
      expect(render(A, 'DROP TABLE IF EXISTS a')).toEqual([
        expect.any(String),
        expect.any(String),
        'DROP TABLE IF EXISTS a ON CLUSTER pulse_cluster SYNC',
        'DROP TABLE IF EXISTS a_local ON CLUSTER pulse_cluster SYNC',
      ]);
    });

    it('should drop a view on every host', () => {
      const view = 'CREATE MATERIALIZED VIEW a_mv TO a AS SELECT id, v FROM a';
      expect(render(A, view, 'DROP VIEW a_mv').at(-1)).toBe('DROP VIEW a_mv ON CLUSTER pulse_cluster SYNC');
    });

    it('should refuse a name the migrations never created (a table or a view?)', () => {
      expect(() => render('DROP TABLE IF EXISTS nowhere')).toThrow(/neither a table nor a view/);
    });
  });

  describe('ALTER', () => {
    it('should change columns on the local table, then on the Distributed table', () => {
      expect(render(A, 'ALTER TABLE a ADD COLUMN w UInt8, MODIFY COLUMN v UInt32').slice(2)).toEqual([
        'ALTER TABLE a_local ON CLUSTER pulse_cluster ADD COLUMN w UInt8, MODIFY COLUMN v UInt32',
        'ALTER TABLE a ON CLUSTER pulse_cluster ADD COLUMN w UInt8, MODIFY COLUMN v UInt32',
      ]);
    });

    it('should drop columns from the Distributed table first, so no read asks a shard for a dropped column', () => {
      expect(render(A, 'ALTER TABLE a DROP COLUMN v').slice(2)).toEqual([
        'ALTER TABLE a ON CLUSTER pulse_cluster DROP COLUMN v',
        'ALTER TABLE a_local ON CLUSTER pulse_cluster DROP COLUMN v',
      ]);
    });

    it('should change what is stored (TTL, settings) on the local table only', () => {
      const alter =
        'ALTER TABLE a MODIFY TTL toDate(now()) + INTERVAL 1 DAY, MODIFY SETTING non_replicated_deduplication_window = 10';
      expect(render(A, alter).slice(2)).toEqual([
        'ALTER TABLE a_local ON CLUSTER pulse_cluster MODIFY TTL toDate(now()) + INTERVAL 1 DAY, ' +
          'MODIFY SETTING replicated_deduplication_window = 10',
      ]);
    });

    it('should refuse a statement mixing column and storage changes', () => {
      expect(() => render(A, 'ALTER TABLE a ADD COLUMN w UInt8, MODIFY TTL toDate(now())')).toThrow(/split it/);
    });
  });

  it.each([
    ['an INSERT', 'INSERT INTO a VALUES (1)'],
    ['a RENAME', 'RENAME TABLE a TO b'],
    ['a statement already ON CLUSTER', 'ALTER TABLE a ON CLUSTER other DROP COLUMN v'],
    ['a database-qualified name', 'CREATE TABLE db.a (id String) ENGINE = MergeTree ORDER BY id'],
  ])('should refuse %s, naming the migration', (_, statement) => {
    expect(() => render(A, statement)).toThrow(/^migration 0001_m1 for cluster pulse_cluster: no cluster rule/);
  });

  it.each([
    [{ cluster: 'pulse-cluster', database: 'default' }, /cluster "pulse-cluster"/],
    [{ cluster: 'c', database: 'x; DROP TABLE a' }, /database "x; DROP TABLE a"/],
    [{ cluster: '', database: 'default' }, /cluster ""/],
  ])('should refuse a target that is not plain identifiers: %j', (bad, message) => {
    expect(() => renderForCluster([], bad)).toThrow(message);
  });

  it('should know what earlier migrations created', () => {
    const rendered = renderForCluster([migration([A], 1), migration(['DROP TABLE a'], 2)], target, keys);
    expect(rendered.map((m) => [m.version, m.statements.length])).toEqual([
      [1, 2],
      [2, 2],
    ]);
  });
});

describe('the project migrations on a cluster', () => {
  const migrations = readMigrations(MIGRATIONS_DIR);
  const statements = migrations.flatMap((m) => m.statements);

  it('should have a rule for every statement kind they use (a new kind needs a rule in cluster-migrations.ts)', () => {
    expect(statements.filter((statement) => !statementRule(statement))).toEqual([]);
  });

  it('should have a sharding key chosen for every table they create, and none for a table they do not', () => {
    const created = statements.flatMap((s) => /^CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)/i.exec(s)?.[1] ?? []);
    expect(Object.keys(SHARDING_KEYS).sort()).toEqual([...new Set(created)].sort());
  });

  it('should keep versions, names and checksums, which a single server recorded the same', () => {
    const rendered = renderForCluster(migrations, target);
    expect(rendered.map(({ version, name, checksum }) => ({ version, name, checksum }))).toEqual(
      migrations.map(({ version, name, checksum }) => ({ version, name, checksum })),
    );
  });

  it('should never shard by rand(): a replayed insert must split into the same blocks to be deduplicated', () => {
    expect(Object.values(SHARDING_KEYS).filter((key) => /rand/i.test(key))).toEqual([]);
  });
});

/** A client recording what migrate sends; it answers `database` to currentDatabase() and no applied migrations. */
function recordingClient(database = 'default') {
  const sent: string[] = [];
  const client = {
    command: async ({ query }: { query: string }) => void sent.push(query),
    query: async ({ query }: { query: string }) => ({
      json: async () => (query.includes('currentDatabase()') ? [{ database }] : []),
    }),
    insert: async ({ values }: { values: { version: number }[] }) => void sent.push(`insert ${values[0].version}`),
  };
  return { sent, client: client as unknown as ClickHouseClient };
}

describe(migrate.name, () => {
  it("should send a single server today's statements, byte for byte, when no cluster is named", async () => {
    const { sent, client } = recordingClient();
    await migrate(client, readMigrations(MIGRATIONS_DIR), undefined, { cluster: '' });
    const files = readdirSync(MIGRATIONS_DIR)
      .filter((file) => /^\d{4}_.*\.sql$/.test(file))
      .sort();
    expect(sent).toEqual([
      `CREATE TABLE IF NOT EXISTS schema_migrations (
      version UInt32, name String, checksum String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3)
    ) ENGINE = MergeTree ORDER BY version`,
      ...files.flatMap((file) => [
        ...splitStatements(readFileSync(join(MIGRATIONS_DIR, file), 'utf8')),
        `insert ${Number(file.slice(0, 4))}`,
      ]),
    ]);
  });

  it('should render for the cluster, naming the database the client works in', async () => {
    const { sent, client } = recordingClient('analytics');
    await migrate(client, readMigrations(MIGRATIONS_DIR), undefined, { cluster: 'pulse_cluster' });
    expect(sent[0]).toMatch(/^CREATE TABLE IF NOT EXISTS schema_migrations ON CLUSTER pulse_cluster \(/);
    expect(sent[0]).toContain(
      `ENGINE = ReplicatedMergeTree('/clickhouse/tables/all/{database}/{table}', '{shard}_{replica}')`,
    );
    expect(sent).toContain(
      'CREATE TABLE IF NOT EXISTS events ON CLUSTER pulse_cluster AS events_local\n' +
        `ENGINE = Distributed(pulse_cluster, analytics, events_local, ${SHARDING_KEYS.events})`,
    );
    const ddl = sent.filter((line) => !line.startsWith('insert '));
    expect(ddl.filter((line) => !line.includes(' ON CLUSTER pulse_cluster'))).toEqual([]);
  });

  it('should refuse a statement no rule knows before applying anything', async () => {
    const { sent, client } = recordingClient();
    const migrations = [migration(['INSERT INTO events SELECT 1'])];
    await expect(migrate(client, migrations, undefined, { cluster: 'pulse_cluster' })).rejects.toThrow(
      /no cluster rule/,
    );
    expect(sent).toEqual([]);
  });
});
