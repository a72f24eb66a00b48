import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_SUFFIX, renderForCluster, schemaMigrationsTable, SHARDING_KEYS } from './cluster-migrations';
import { MIGRATIONS_DIR } from './index';
import { readMigrations } from './migrations';

// ClickHouse itself checks the migrations rendered for a cluster, in-process: chDB is the ClickHouse
// engine as a library, so this needs no server and no cluster (component tier: a real engine with a
// data directory of its own, nothing outside the process).
// 1. Its parser reads every rendered statement exactly as `migrate` sends it: formatQuery parses and
//    prints back, resolving no cluster, macro or table.
// 2. Its engine runs them: a configuration of this test's own declares the cluster, the {shard} and
//    {replica} macros and ClickHouse's in-memory test Keeper, so the replicated tables, the Distributed
//    tables (cluster, columns, integer sharding key) and the views are really created. Only ON CLUSTER
//    is left out of that run: it needs a server's distributed DDL queue (chDB answers "Replicated DDL
//    queries are disabled"), and step 1 has read it.

const CLUSTER = 'pulse_cluster';
const migrations = readMigrations(MIGRATIONS_DIR);
const rendered = renderForCluster(migrations, { cluster: CLUSTER, database: 'default' });

/** Every rendered statement as [label, sql]: its migration, place and head (up to ON CLUSTER). */
const statements = rendered.flatMap((migration) =>
  migration.statements.map((sql, i): [string, string] => [
    `${String(migration.version).padStart(4, '0')}_${migration.name} #${i + 1} (${sql.split(' ON CLUSTER')[0]})`,
    sql,
  ]),
);

const CONFIG = `<clickhouse>
  <remote_servers><${CLUSTER}><shard><replica><host>localhost</host><port>9000</port></replica></shard></${CLUSTER}></remote_servers>
  <macros><shard>01</shard><replica>r1</replica></macros>
  <zookeeper><implementation>testkeeper</implementation></zookeeper>
</clickhouse>`;

const configDir = mkdtempSync(join(tmpdir(), 'cluster-migrations-'));
let session: Session;
beforeAll(() => {
  writeFileSync(join(configDir, 'config.xml'), CONFIG);
  session = new Session(undefined, { connectionArgs: [`--config-file=${join(configDir, 'config.xml')}`] });
});
afterAll(() => {
  // Replicated tables left attached keep chDB's close waiting on their Keeper sessions: drop them first.
  if (session?.open) {
    for (const table of rows<{ database: string; name: string }>(
      "SELECT database, name FROM system.tables WHERE database IN ('default', 'single') ORDER BY engine LIKE 'Replicated%'",
    )) {
      session.query(`DROP TABLE ${table.database}.${table.name} SYNC`);
    }
    session.close();
  }
  rmSync(configDir, { recursive: true, force: true });
});

function rows<T>(query: string): T[] {
  const output = session.query(query, 'JSONEachRow').trim();
  return output ? output.split('\n').map((line) => JSON.parse(line) as T) : [];
}

/** The statement as ClickHouse's parser read it, printed back on one line; throws its syntax error. */
function parse(sql: string): string {
  const output = session.queryBind('SELECT formatQuerySingleLine({sql:String}) AS q', { sql }, 'JSONEachRow');
  return (JSON.parse(output) as { q: string }).q;
}

const REPLICATED =
  /ENGINE = Replicated\w*MergeTree\('\/clickhouse\/tables\/\{shard\}\/\{database\}\/\{table\}', '\{replica\}'/;

/** What the parsed statement must read as, by its kind: the cluster rules seen through ClickHouse's parser. */
function expectClusterShape(parsed: string): void {
  expect(parsed).toMatch(new RegExp(`^(CREATE|DROP|ALTER) [A-Z ]*?\\w+ ON CLUSTER ${CLUSTER}\\b`));
  expect(parsed).not.toMatch(/non_replicated/);
  const table = /^CREATE TABLE (?:IF NOT EXISTS )?(\w+) /.exec(parsed)?.[1];
  if (table?.endsWith(LOCAL_SUFFIX)) expect(parsed).toMatch(REPLICATED);
  else if (table)
    expect(parsed).toContain(` AS ${table}_local ENGINE = Distributed(${CLUSTER}, default, ${table}_local, `);
  if (parsed.startsWith('CREATE MATERIALIZED VIEW')) {
    expect(parsed).toMatch(/ TO \w+_local AS /);
    // Every table the view reads is a local one (FROM followed by a bracket is a subquery).
    const read = [...parsed.matchAll(/\b(?:FROM|JOIN) (\w+)/g)].map((m) => m[1]);
    expect(read.filter((name) => !name.endsWith(LOCAL_SUFFIX))).toEqual([]);
  }
}

describe("the migrations rendered for a cluster, read by ClickHouse's parser", () => {
  it('should render more statements than the files hold (a table is two on a cluster)', () => {
    expect(statements.length).toBeGreaterThan(migrations.flatMap((m) => m.statements).length);
  });

  it.each(statements)('should parse %s', (_, sql) => {
    expectClusterShape(parse(sql));
  });

  it("should parse the runner's own table", () => {
    expect(parse(schemaMigrationsTable({ cluster: CLUSTER }))).toMatch(
      /^CREATE TABLE IF NOT EXISTS schema_migrations ON CLUSTER pulse_cluster \(.*\) ENGINE = ReplicatedMergeTree\(/,
    );
  });

  it('should refuse what the parser refuses (the check is real)', () => {
    expect(() => parse('CREATE TABLE t ON CLUSTER c ENGINE = Distributed(c, default, t_local')).toThrow(/Syntax error/);
  });
});

interface TableRow {
  name: string;
  engine: string;
  engine_full: string;
  sorting_key: string;
  partition_key: string;
  dependencies_table: string[];
  create_table_query: string;
}

describe('the migrations rendered for a cluster, run by ClickHouse (ON CLUSTER aside)', () => {
  const tables = (database: string) =>
    new Map(
      rows<TableRow>(
        'SELECT name, engine, engine_full, sorting_key, partition_key, dependencies_table, create_table_query ' +
          `FROM system.tables WHERE database = '${database}'`,
      ).map((row) => [row.name, row]),
    );
  const columns = (database: string, table: string) =>
    rows(
      'SELECT name, type, default_kind, default_expression, compression_codec FROM system.columns ' +
        `WHERE database = '${database}' AND table = '${table}' ORDER BY position`,
    );
  let single: Map<string, TableRow>;
  let cluster: Map<string, TableRow>;
  let singleTables: string[];

  beforeAll(() => {
    // The single server's schema, for comparison, then the cluster's, each migration in order.
    session.query('CREATE DATABASE IF NOT EXISTS single');
    session.query('USE single');
    for (const statement of migrations.flatMap((m) => m.statements)) session.query(statement);
    session.query('USE default');
    const withoutOnCluster = (sql: string) => sql.replaceAll(` ON CLUSTER ${CLUSTER}`, '');
    for (const [label, sql] of [...statements, ['schema_migrations', schemaMigrationsTable({ cluster: CLUSTER })]]) {
      try {
        session.query(withoutOnCluster(sql));
      } catch (error) {
        throw new Error(`${label}: ${(error as Error).message}`, { cause: error });
      }
    }
    single = tables('single');
    cluster = tables('default');
    singleTables = [...single.values()].filter((t) => t.engine.endsWith('MergeTree')).map((t) => t.name);
  });

  it('should give the apps the same tables, as Distributed tables with the same columns', () => {
    expect(singleTables.sort()).toEqual(
      Object.keys(SHARDING_KEYS)
        .filter((name) => single.has(name))
        .sort(),
    );
    for (const name of singleTables) {
      expect(cluster.get(name)?.engine_full, name).toBe(
        `Distributed('${CLUSTER}', 'default', '${name}_local', ${SHARDING_KEYS[name]})`,
      );
      expect(columns('default', name), name).toEqual(columns('single', name));
      expect(columns('default', `${name}_local`), name).toEqual(columns('single', name));
    }
  });

  it("should keep each table's rows in a replicated local table: the same engine, arguments, keys and TTL", () => {
    for (const name of singleTables) {
      const { engine_full: full, sorting_key, partition_key } = single.get(name)!;
      const [, engine, args] = /^(\w+)(?:\(([^)]*)\))?/.exec(full)!;
      const replicated = [`'/clickhouse/tables/{shard}/default/${name}_local'`, `'{replica}'`, ...(args ? [args] : [])];
      const expected = `Replicated${engine}(${replicated.join(', ')})${full.slice(engine.length + (args ? args.length + 2 : 0))}`;
      expect(cluster.get(`${name}_local`), name).toMatchObject({
        engine_full: expected.replace('non_replicated_deduplication_window', 'replicated_deduplication_window'),
        sorting_key,
        partition_key,
      });
    }
  });

  it('should hang each view on the local table of its source, writing to the local table of its target', () => {
    const views = [...single.values()].filter((t) => t.engine === 'MaterializedView').map((t) => t.name);
    expect(views.length).toBeGreaterThan(0);
    for (const name of singleTables) {
      expect(cluster.get(`${name}_local`)?.dependencies_table.sort(), name).toEqual(
        single.get(name)!.dependencies_table.sort(),
      );
      expect(cluster.get(name)?.dependencies_table, `nothing fires on the Distributed ${name}`).toEqual([]);
    }
    const target = (query: string) => / TO (\w+)\.(\w+) /.exec(query)!.slice(1);
    for (const view of views) {
      expect(target(cluster.get(view)!.create_table_query), view).toEqual([
        'default',
        `${target(single.get(view)!.create_table_query)[1]}_local`,
      ]);
    }
  });

  it("should keep the runner's table on every host of every shard (a Keeper path without the shard)", () => {
    expect(
      rows(
        "SELECT zookeeper_path, replica_name FROM system.replicas WHERE database = 'default' AND table = 'schema_migrations'",
      ),
    ).toEqual([{ zookeeper_path: '/clickhouse/tables/all/default/schema_migrations', replica_name: '01_r1' }]);
  });
});
