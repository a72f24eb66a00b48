import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadApiConfig } from '@social-pulse/api/config';
import { MIGRATIONS_DIR, splitStatements } from '@social-pulse/clickhouse';
import { afterAll, describe, expect, it } from 'vitest';
import { ClickHouseRepository } from '@social-pulse/api/clickhouse-repository';
import { ClickHouseError } from './clickhouse-error';
import { type AccessRequest, checkAccess } from './sql-access';

const cwd = mkdtempSync(join(tmpdir(), 'sql-access-spec-'));
writeFileSync(join(cwd, 'Dockerfile'), 'FROM scratch\n');
writeFileSync(join(cwd, 'events.csv'), 'a,b\n');
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

/** The error checkAccess throws for `sql`, or undefined when it lets it through. */
const refusal = (sql: string, request: AccessRequest = {}): ClickHouseError | undefined => {
  try {
    checkAccess(sql, { cwd, ...request });
    return undefined;
  } catch (error) {
    return error as ClickHouseError;
  }
};

const expectRefused = (sql: string, request?: AccessRequest) => {
  const error = refusal(sql, request);
  expect(error, sql).toBeInstanceOf(ClickHouseError);
  expect(error).toMatchObject({ code: 497, type: 'ACCESS_DENIED' });
};
const expectAllowed = (sql: string, request?: AccessRequest) => expect(refusal(sql, request), sql).toBeUndefined();

/** Every file in clickhouse/migrations, so a new migration is checked without touching this spec. */
const migrationFiles = readdirSync(MIGRATIONS_DIR)
  .filter((file) => file.endsWith('.sql'))
  .sort();

/**
 * The SQL the API's ClickHouseRepository sends and the parameters it binds (as the URL's `param_`
 * strings), taken by calling each of its query methods against a client that records them and
 * answers no rows (so latestTrending takes its fallback too). A new query method belongs here.
 */
async function apiRepositoryQueries(): Promise<{ query: string; params: Record<string, string> }[]> {
  const repository = new ClickHouseRepository(loadApiConfig({}));
  await repository.onModuleDestroy(); // the real client never connected; the recording one replaces it
  const sent: { query: string; params: Record<string, string> }[] = [];
  const recordingClient = {
    query: async ({ query, query_params = {} }: { query: string; query_params?: Record<string, unknown> }) => {
      sent.push({ query, params: Object.fromEntries(Object.entries(query_params).map(([k, v]) => [k, String(v)])) });
      return { json: async () => [] };
    },
    close: async () => undefined,
  };
  Object.assign(repository, { client: recordingClient });
  await repository.latestTrending('1m', 100);
  await repository.latestCanaryTopics('1m', 100);
  await repository.topicHistory('1m', 'ai', new Date());
  return sent;
}

describe(checkAccess.name, () => {
  describe('table functions', () => {
    it('should refuse file() however it is spelled', () => {
      expectRefused("SELECT * FROM file('/etc/hostname', 'LineAsString')");
      expectRefused("SELECT * FROM FiLe('/etc/hostname', 'LineAsString')");
      expectRefused("SELECT * FROM file /* c */ ('/etc/hostname')");
      expectRefused("SELECT * FROM file -- c\n ('/etc/hostname')");
      expectRefused('SELECT * FROM "file"(\'/etc/hostname\')');
      expectRefused("SELECT * FROM `file`('/etc/hostname')");
      expectRefused("SELECT * FROM `fi\\le`('/etc/hostname')");
      expectRefused("SELECT * FROM `\\x66ile`('/etc/hostname')");
      expectRefused("SELECT * FROM '\\x2fetc\\x2fhostname'");
      expectRefused("SELECT * FROM file\u00a0('/etc/hostname')");
      expectRefused("SELECT * FROM\u2003file('/etc/hostname')");
      expectRefused("WITH 1 AS $a$ SELECT * FROM file('/etc/hostname', 'LineAsString')");
      expectRefused("SELECT 0x1e-length(file('/etc/hostname'))");
      expectRefused("SELECT 0x1e-file('/etc/hostname')");
    });

    it('should refuse it in subqueries, WITH, view(), joins and INSERT INTO FUNCTION', () => {
      expectRefused("SELECT * FROM (SELECT * FROM file('/etc/hostname'))");
      expectRefused("WITH t AS (SELECT * FROM url('http://x/')) SELECT * FROM t");
      expectRefused("SELECT * FROM view(SELECT * FROM s3('http://x/a.csv'))");
      expectRefused("SELECT * FROM numbers(1) AS a, remote('h', system.one) AS b");
      expectRefused("SELECT * FROM numbers(1) JOIN mysql('h', 'd', 't', 'u', 'p') USING number");
      expectRefused("INSERT INTO FUNCTION file('/tmp/x.csv', 'CSV') SELECT 1");
      expectRefused("INSERT INTO TABLE FUNCTION url('http://x/', 'CSV') SELECT 1");
      expectRefused("SELECT * FROM numbers(1) WHERE number IN (SELECT * FROM postgresql('h', 'd', 't', 'u', 'p'))");
      expectRefused("DESCRIBE TABLE file('/etc/passwd', 'LineAsString')");
      expectRefused("CREATE TABLE t AS sqlite('/tmp/db', 't')");
      expectRefused('SELECT * FROM (EXPLAIN SELECT * FROM `/etc/hostname`)');
      expectRefused('SELECT * FROM numbers(1) WHERE exists(SELECT * FROM unknownTableFunction(1))');
      expectRefused('SELECT arrayMap(x -> (SELECT count() FROM `/etc/hostname`), [1])');
      expectRefused("SELECT extract(DAY FROM (SELECT * FROM someTableFunction('x')))");
      expectRefused('SELECT * FROM view(FROM `/etc/hostname` SELECT *)');
      expectRefused('SELECT * FROM view(FROM someTableFunction(1) SELECT *)');
      expectRefused("SELECT aiGenerate('say hi')");
    });

    it('should refuse a table function that is not on the allowlist, known or not', () => {
      expectRefused("SELECT * FROM executable('cat /etc/passwd', \"LineAsString\", 'x String')");
      expectRefused("SELECT * FROM icebergLocal('/tmp/x')");
      expectRefused("SELECT * FROM someFutureTableFunction('x')");
      expectRefused("SELECT * FROM clusterAllReplicas('default', system.one)");
      expectRefused("SELECT * FROM input('x UInt8')");
    });

    it('should accept the table functions that stay inside', () => {
      expectAllowed('SELECT * FROM numbers(10)');
      expectAllowed('SELECT * FROM numbers_mt(10) AS n, zeros(2) AS z');
      expectAllowed("SELECT * FROM values('x UInt8', 1, 2)");
      expectAllowed("SELECT * FROM generateRandom('a UInt8', 1) LIMIT 1");
      expectAllowed("SELECT * FROM merge('db', '^t')");
      expectAllowed('SELECT * FROM view(SELECT 1)');
      expectAllowed('SELECT * FROM format(JSONEachRow, \'{"a":1}\')');
      expectAllowed("INSERT INTO t SELECT * FROM input('x UInt8') FORMAT CSV");
    });
  });

  describe('scalar functions', () => {
    it('should refuse file() in a SELECT list, a WITH clause and a default', () => {
      expectRefused("SELECT file('/etc/hostname')");
      expectRefused("SELECT length(FILE('/etc/hostname'))");
      expectRefused("WITH file('/etc/hostname') AS x SELECT x");
      expectRefused("CREATE TABLE t (x String DEFAULT file('/etc/hostname')) ENGINE = Memory");
      expectRefused('CREATE FUNCTION f AS (p) -> file(p)');
      expectRefused("SELECT hasColumnInTable('other-host', 'db', 't', 'c')");
    });

    it('should not mind the names inside strings or comments', () => {
      expectAllowed("SELECT 'file(/etc/hostname)' AS s");
      expectAllowed("SELECT 1 /* FROM file('/etc/hostname') */");
      expectAllowed('SELECT 1 -- url(x)\n');
      expectAllowed("SELECT $x$ file('/etc/hostname') $x$ AS s, 1e-5 AS n");
      expectAllowed("SELECT file_name FROM t WHERE path = 'file'");
    });
  });

  describe('engines and dictionaries', () => {
    it('should refuse engines that reach outside', () => {
      expectRefused("CREATE TABLE t (x UInt8) ENGINE = File(CSV, '/tmp/x.csv')");
      expectRefused('CREATE TABLE t (x UInt8) ENGINE = File(CSV)');
      expectRefused("CREATE TABLE t (x UInt8) ENGINE = URL('http://x/', CSV)");
      expectRefused('CREATE TABLE t (x UInt8) ENGINE = "S3"(\'http://x/\')');
      expectRefused("CREATE TABLE t (x UInt8) ENGINE Kafka SETTINGS kafka_broker_list = 'h:9092'");
      expectRefused("CREATE TABLE t (x UInt8) ENGINE = Executable('cat', TSV)");
      expectRefused("CREATE TABLE t (x UInt8) ENGINE = Distributed('c', 'db', 't')");
      expectRefused("CREATE TABLE t (x UInt8) ENGINE = EmbeddedRocksDB(0, '/tmp/rocks') PRIMARY KEY x");
      expectRefused("CREATE DATABASE fs ENGINE = Filesystem('/etc')");
      expectRefused('CREATE DATABASE fs ENGINE = Filesystem');
      expectRefused(
        "CREATE TABLE t (x UInt8) ENGINE = MergeTree ORDER BY x SETTINGS disk = disk(type = local, path = '/tmp/d/')",
      );
    });

    it('should refuse dictionaries with file, http, executable or remote sources', () => {
      const dict = (source: string) =>
        `CREATE DICTIONARY d (k UInt64, v String) PRIMARY KEY k SOURCE(${source}) LAYOUT(FLAT()) LIFETIME(0)`;
      expectRefused(dict("FILE(path '/etc/passwd' format 'TSV')"));
      expectRefused(dict("HTTP(url 'http://x/' format 'TSV')"));
      expectRefused(dict("EXECUTABLE(command 'cat /etc/passwd' format 'TSV')"));
      expectRefused(dict("CLICKHOUSE(HOST 'other' PORT 9000 TABLE 't')"));
      expectRefused(dict("MYSQL(host 'h' port 3306 db 'd' table 't')"));
      expectAllowed(dict("CLICKHOUSE(TABLE 't' DB 'db')"));
      expectRefused(dict("CLICKHOUSE(QUERY 'SELECT * FROM file(''/etc/hostname'', ''LineAsString'')')"));
      expectRefused(dict("CLICKHOUSE(TABLE 't' WHERE 'k IN (SELECT * FROM url(''http://x/''))')"));
      expectRefused(dict("CLICKHOUSE(TABLE '/etc/hostname')"));
      expectRefused(dict("CLICKHOUSE(TABLE 'Dockerfile' DB 'default')"));
      expectAllowed(dict("CLICKHOUSE(QUERY 'SELECT k, v FROM db.t WHERE k > 1')"));
    });

    it('should accept the local engines the project uses', () => {
      expectAllowed(
        'CREATE TABLE IF NOT EXISTS trending_topics (topic String, computed_at DateTime64(3)) ' +
          'ENGINE = ReplacingMergeTree(computed_at) PARTITION BY toDate(computed_at) ORDER BY (topic)',
      );
      expectAllowed('CREATE TABLE t (engine String, x UInt8) ENGINE = Memory');
      expectAllowed('CREATE TABLE t (x UInt8) ENGINE = MergeTree ORDER BY x SETTINGS index_granularity = 8192');
      expectAllowed('CREATE TABLE b AS t ENGINE = Buffer(db, t, 1, 10, 100, 10000, 1000000, 10000000, 100000000)');
      expectAllowed(
        'CREATE MATERIALIZED VIEW mv ENGINE = SummingMergeTree ORDER BY k AS SELECT k, count() AS c FROM t GROUP BY k',
      );
      expectAllowed("CREATE VIEW v AS SELECT name, engine FROM system.tables WHERE engine = 'Memory'");
      expectAllowed('CREATE DATABASE IF NOT EXISTS social_pulse');
      expectAllowed('CREATE DATABASE d ENGINE = Atomic');
      expectAllowed("SELECT name, engine FROM system.tables WHERE engine = 'MergeTree'");
    });
  });

  describe('tables that are files (the default database reads files by name)', () => {
    it('should refuse paths, globs and files next to the server as table names', () => {
      expectRefused("SELECT * FROM '/etc/hostname'");
      expectRefused('SELECT * FROM $x$/etc/hostname$x$');
      expectRefused('SELECT * FROM `/etc/hostname`');
      expectRefused('SELECT * FROM default."/etc/hostname"');
      expectRefused('SELECT * FROM `../../package.json`');
      expectRefused('SELECT * FROM `/etc/host*`');
      expectRefused('SELECT * FROM Dockerfile');
      expectRefused('SELECT * FROM `events.csv`');
      expectRefused('SELECT * FROM numbers(1) AS n, `events.csv` AS e');
      expectRefused('SELECT * FROM numbers(1) AS n JOIN default.Dockerfile AS d ON 1');
      expectRefused('INSERT INTO `/tmp/out.csv` SELECT 1');
      expectRefused("ATTACH TABLE t FROM '/var/lib/other' (x UInt8) ENGINE = Memory");
      expectRefused('SHOW CREATE TABLE `/etc/hostname`');
      expectRefused('DESCRIBE `/etc/hostname`');
      expectRefused('CREATE MATERIALIZED VIEW mv TO `/tmp/out.csv` AS SELECT 1 AS x');
      expectRefused('CREATE MATERIALIZED VIEW mv TO Dockerfile AS SELECT 1 AS x');
      expectRefused("CREATE TABLE b (s String) ENGINE = Buffer(default, '/etc/hostname', 1, 10, 100, 1, 2, 3, 4)");
      expectRefused('CREATE TABLE b (s String) ENGINE = Buffer(default, Dockerfile, 1, 10, 100, 1, 2, 3, 4)');
      expectRefused("SELECT * FROM format(Values, 's String', '(file(''/etc/hostname''))')");
      expectAllowed("SELECT * FROM format(CSV, 's String', 'a,b')");
      expectRefused("ATTACH TABLE t FROM 'some_dir' (x UInt8) ENGINE = MergeTree ORDER BY x");
    });

    it('should judge {name:Identifier} parameters by their value', () => {
      expectRefused('SELECT * FROM {t:Identifier}', { params: { t: '/etc/hostname' } });
      expectRefused('SELECT * FROM {t:Identifier}', { params: { t: 'Dockerfile' } });
      expectRefused('SELECT * FROM {t:Identifier}', { params: { t: '/tmp/x/secret.csv' } });
      expectRefused('SELECT * FROM {t:Identifier}', { params: { t: 'events.csv' } });
      expectRefused('SELECT * FROM {t:Identifier}', { params: { t: 'default.Dockerfile' } });
      expectAllowed('SELECT * FROM {t:Identifier}', { params: { t: 'db.trending_topics' } });
      expectRefused('SELECT * FROM {t:Identifier}');
    });

    it('should accept ordinary tables, system tables and expressions after FROM', () => {
      expectAllowed('SELECT * FROM trending_topics FINAL WHERE window_size = {w:String}');
      expectAllowed('SELECT count() FROM social_pulse.trending_topics AS t, system.one');
      expectAllowed('SELECT * FROM social_pulse.Dockerfile');
      expectAllowed("SELECT extract(DAY FROM toDate('2020-01-01')), trim(BOTH ' ' FROM '  x ')");
      expectAllowed('SELECT x FROM t ARRAY JOIN arr AS x');
      expectAllowed('DROP TABLE IF EXISTS t');
      expectAllowed('CREATE TEMPORARY TABLE tmp (x UInt8) ENGINE = Memory');
      expectAllowed('INSERT INTO TABLE tmp (x) VALUES (1)');
      expectAllowed("SELECT substring('abc' FROM 2 FOR 1), position('/etc' IN 'x/etc')");
    });
  });

  describe('statements and settings', () => {
    it('should refuse streamed Values and MySQLDump inserts that would evaluate expressions in their data', () => {
      expectRefused('INSERT INTO t FORMAT Values');
      expectRefused('INSERT INTO t (s) FORMAT values');
      expectRefused('INSERT INTO t FORMAT MySQLDump');
      expectRefused('INSERT INTO t FORMAT Values', { settings: [['input_format_values_interpret_expressions', '1']] });
      expectRefused('INSERT INTO t FORMAT Values', { settings: [['input_format_values_interpret_expressions', '0']] });
    });

    it('should refuse BACKUP and RESTORE', () => {
      expectRefused("BACKUP TABLE t TO File('/tmp/b.zip')");
      expectRefused("RESTORE TABLE t FROM Disk('backups', 'b.zip')");
    });

    it('should refuse settings that name files or change the dialect, in SET, SETTINGS and the URL', () => {
      expectRefused("SELECT 1 FORMAT Template SETTINGS format_template_resultset = '/etc/passwd'");
      expectRefused("SET format_schema = '/etc/x.proto:M'");
      expectRefused("SET output_format_schema = '/tmp/schema.capnp'");
      expectRefused("SET input_format_record_errors_file_path = '/tmp/errors'");
      expectRefused("SET dialect = 'kusto'");
      expectRefused('SELECT 1', { settings: [['format_template_row', '/etc/passwd']] });
      expectRefused('SELECT 1', { settings: [['dialect', 'prql']] });
      expectRefused("SELECT 1 SETTINGS additional_result_filter = 'throwIf(1, file(''/etc/hostname''))'");
      expectRefused("SELECT * FROM t SETTINGS additional_table_filters = {'t': 'x IN (SELECT 1)'}");
      expectRefused("SELECT * SETTINGS implicit_table_at_top_level = '/etc/hostname'");
      expectRefused('SELECT *', { settings: [['implicit_table_at_top_level', 'Dockerfile']] });
      expectRefused("SET default_table_engine = 'File'");
      expectRefused('SELECT 1', { settings: [['default_database_engine', 'Filesystem']] });
      expectRefused("SET ai_function_text_default_credentials = 'x'");
      expectAllowed("SET default_table_engine = 'MergeTree'");
      expectAllowed("SELECT * SETTINGS implicit_table_at_top_level = 'trending_topics'");
      expectAllowed("SET dialect = 'clickhouse'");
      expectAllowed('SELECT 1', {
        settings: [
          ['max_threads', '2'],
          ['dialect', 'clickhouse'],
        ],
      });
      expectAllowed("SELECT 1 SETTINGS max_threads = 1, log_comment = 'x'");
    });

    it('should accept those settings at their defaults, and filters whose SQL stays inside', () => {
      // What clients send when they pass every setting at its default (clickhouse-js does).
      for (const name of ['format_schema', 'format_template_row', 'output_format_schema', 'polyglot_dialect'])
        expectAllowed('SELECT 1', { settings: [[name, '']] });
      expectAllowed('SELECT 1', { settings: [['format_schema_source', 'file']] });
      expectAllowed('SELECT 1', { settings: [['additional_table_filters', '{}']] });
      expectAllowed('SELECT * FROM system.numbers LIMIT 5', {
        settings: [['additional_table_filters', "{'system.numbers':'number != 3'}"]],
      });
      expectRefused('SELECT 1', {
        settings: [['additional_table_filters', "{'system.numbers':'number != length(file(\\'/etc/hostname\\'))'}"]],
      });
      expectRefused('SELECT 1', { settings: [['additional_result_filter', "throwIf(1, file('/etc/hostname'))"]] });
      expectRefused('SELECT 1', { settings: [['format_schema_source', 'query']] });
    });
  });

  describe("the project's own statements", () => {
    it('should find the migrations', () => expect(migrationFiles).toContain('0001_trending_topics.sql'));

    it.each(migrationFiles)('should accept every statement of migration %s', (file) => {
      const statements = splitStatements(readFileSync(join(MIGRATIONS_DIR, file), 'utf8'));
      expect(statements.length, file).toBeGreaterThan(0);
      for (const statement of statements) expectAllowed(statement);
    });

    it("should accept the API repository's queries with the parameters it binds", async () => {
      const queries = await apiRepositoryQueries();
      expect(queries.map((q) => q.query).join('\n')).toMatch(/FROM trending_topics FINAL/);
      expect(queries.map((q) => q.query).join('\n')).toMatch(/FROM trending_topic_history FINAL/);
      for (const { query, params } of queries) expectAllowed(query, { params });
    });

    it('should accept the migration runner and the Flink sink', () => {
      expectAllowed(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version UInt32, name String, checksum String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3)
    ) ENGINE = MergeTree ORDER BY version`);
      expectAllowed('SELECT version, name, checksum FROM schema_migrations ORDER BY version FORMAT JSONEachRow');
      expectAllowed('INSERT INTO schema_migrations FORMAT JSONEachRow');
      expectAllowed('INSERT INTO trending_topics FORMAT JSONEachRow');
    });

    it('should accept piped inserts and the usual reads', () => {
      expectAllowed('INSERT INTO social_pulse.trending_topics (topic, count) FORMAT JSONEachRow');
      expectAllowed("INSERT INTO t VALUES (1, 'file(x)')");
      expectAllowed('INSERT INTO t FORMAT Values', {
        settings: [
          ['input_format_values_interpret_expressions', '0'],
          ['input_format_values_deduce_templates_of_expressions', '0'],
        ],
      });
      expectAllowed(
        'INSERT INTO t SETTINGS input_format_values_interpret_expressions = 0, input_format_values_deduce_templates_of_expressions = 0 FORMAT Values',
      );
      expectAllowed('INSERT INTO t FORMAT CSV');
      expectAllowed('SELECT version(), timezone()');
      expectAllowed('SHOW TABLES FROM system');
      expectAllowed('EXISTS TABLE t');
      expectAllowed('SELECT * FROM system.processes FORMAT JSON');
    });
  });
});
