/**
 * Nothing a client sends may reach outside the database: no files, no other hosts, no programs.
 *
 * What chDB itself enforces (measured on engine 26.x, chdb npm): nothing that helps.
 * - `readonly = 2` (GET) still runs `SELECT * FROM file('/etc/hostname', 'LineAsString')`, `SELECT file(...)`
 *   and reads through the default database, an Overlay with a Filesystem part: `SELECT * FROM '/etc/hostname'`,
 *   `FROM \`../../package.json\``, even `FROM Dockerfile` (a bare name, relative to the process's directory).
 * - `user_files_path` is a server setting: `SET user_files_path = ...` is refused (UNKNOWN_SETTING); and in
 *   local mode (chDB) file() and the Filesystem database do not check paths against it anyway.
 * - `CREATE USER` / `GRANT` are refused by chDB, so the FILE/URL/REMOTE source grants cannot be taken away.
 * - `allow_ddl = 0` would refuse the project's own migrations; there is no setting that disables table functions.
 * So the policy is decided here, on the server's own lexer tokens, before the statement reaches the engine.
 * `EXPLAIN AST` on an engine connection was measured too: about 0.9 ms per statement (as much as a whole
 * `SELECT 1`, so it would double the cost of small queries), it prints SETTINGS as a bare `Set` without names or
 * values, and like tokens it cannot see SQL inside strings or the rows of a streamed insert. Tokens it is, read
 * the way ClickHouse's lexer reads them where the server's lexer differs: words are ASCII runs (a Unicode space
 * such as U+00A0 separates words to ClickHouse: `file\u00a0(`), `$a$` without a closing tag is a word and not a
 * heredoc, `0x1e-file(...)` is a number and a call, and `\xHH` escapes in quoted names are decoded.
 *
 * Found by trying them on the engine, and refused here: SQL inside strings that the engine runs
 * (`additional_result_filter`, a dictionary's CLICKHOUSE(QUERY '...'), `format(Values, '(file(...))')`),
 * `implicit_table_at_top_level`, `default_table_engine`, `SET param_t` for a later `{t:Identifier}`, and
 * `INSERT ... FORMAT Values` whose streamed rows may call file() unless expression evaluation is turned off.
 *
 * Deny by default: a table function (a call after FROM / JOIN / FUNCTION) and a table or database engine
 * (after ENGINE) must be on an allowlist of things that stay inside the database; besides, every call whose name
 * is a known outside-reaching table function, engine or dictionary source is refused wherever it stands (a
 * scalar `file()`, `view(SELECT * FROM url(...))`, a WITH clause, `BACKUP ... TO File(...)`).
 */
import { statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { ClickHouseError } from './clickhouse-error';
import { INCOMPLETE, type Token, nextToken } from './sql-lexer';

/** Table functions that read only the database itself or their own arguments (lower case). */
const TABLE_FUNCTIONS_ALLOWED = new Set(
  [
    'numbers',
    'numbers_mt',
    'zeros',
    'zeros_mt',
    'values',
    'generateRandom',
    'generateSeries',
    'generate_series',
    'primes',
    'merge',
    'null',
    'view',
    'format',
    'loop',
    'dictionary',
    'input', // only in an INSERT; see below
  ].map((name) => name.toLowerCase()),
);

/** Table engines and database engines that keep their data in the data directory (lower case). */
const ENGINES_ALLOWED = new Set(
  [
    'MergeTree',
    'ReplacingMergeTree',
    'SummingMergeTree',
    'AggregatingMergeTree',
    'CollapsingMergeTree',
    'VersionedCollapsingMergeTree',
    'CoalescingMergeTree',
    'GraphiteMergeTree',
    'Memory',
    'Log',
    'TinyLog',
    'StripeLog',
    'Null',
    'Buffer',
    'Set',
    'Join',
    'Merge',
    'View',
    'MaterializedView',
    'Dictionary',
    'GenerateRandom',
    'Alias',
    // database engines
    'Atomic',
    'Ordinary',
    'Lazy',
  ].map((name) => name.toLowerCase()),
);

/** Dictionary sources that read the database itself (a ClickHouse source without HOST/PORT, or none). */
const DICTIONARY_SOURCES_ALLOWED = new Set(['clickhouse', 'null']);

/**
 * Names refused as a call anywhere in a statement: the table functions, table engines, database engines and
 * dictionary sources of engine 26.x that reach files, hosts or programs, and the scalar functions that do
 * (`file`, `disk` in a MergeTree's SETTINGS). Lower case; compared case-insensitively.
 */
const CALLS_DENIED = new Set(
  [
    // table functions
    'arrowstream azureBlobStorage azureBlobStorageCluster cluster clusterAllReplicas cosn deltaLake deltaLakeAzure',
    'deltaLakeAzureCluster deltaLakeCluster deltaLakeLocal deltaLakeS3 deltaLakeS3Cluster eval executable file',
    'fileCluster filesystem gcs hdfs hdfsCluster hudi hudiCluster iceberg icebergAzure icebergAzureCluster',
    'icebergCluster icebergHDFS icebergHDFSCluster icebergLocal icebergLocalCluster icebergS3 icebergS3Cluster jdbc',
    'mongodb mysql odbc oss paimon paimonAzure paimonAzureCluster paimonCluster paimonHDFS paimonHDFSCluster',
    'paimonLocal paimonS3 paimonS3Cluster postgresql prometheusQuery prometheusQueryRange redis remote remoteSecure',
    's3 s3Cluster sqlite url urlCluster ytsaurus python',
    // table engines
    'AzureBlobStorage AzureQueue COSN DeltaLake Distributed EmbeddedRocksDB Executable ExecutablePool File FileLog',
    'GCS HDFS Hive Hudi Iceberg JDBC Kafka KeeperMap MaterializedPostgreSQL MongoDB MySQL NATS ODBC OSS PostgreSQL',
    'QueryRunner RabbitMQ Redis Remote S3 S3Queue SQLite URL YTsaurus TimeSeries ExternalDistributed',
    // database engines
    'Replicated Filesystem Backup DataLakeCatalog MaterializedMySQL Overlay',
    // dictionary sources and backup destinations
    'HTTP HTTPS EXECUTABLE_POOL CASSANDRA YAMLRegExpTree Disk',
    // scalar functions: a file's content, a dynamic disk at any path, a model file, another server
    'disk catboostEvaluate hasColumnInTable aiClassify aiGenerate aiEmbed aiExtract aiTranslate',
  ]
    .join(' ')
    .split(/\s+/)
    .map((name) => name.toLowerCase()),
);

/**
 * Settings that name a file to read or write, a host, or credentials: accepted only empty (their
 * default), refused with any value in SET, SETTINGS and the URL.
 */
const SETTINGS_EMPTY_ONLY = new Set([
  'format_schema',
  'format_template_resultset',
  'format_template_row',
  'output_format_schema',
  'input_format_record_errors_file_path',
  'format_avro_schema_registry_url',
  'polyglot_dialect',
  // where the ai*() functions send their requests
  'ai_function_embedding_default_credentials',
  'ai_function_text_default_credentials',
]);

/** Settings whose value is SQL run with every query: the SQL (and every string in it) is checked too. */
const SETTINGS_WITH_SQL = new Set([
  'additional_result_filter',
  'additional_table_filters',
  'parallel_replicas_custom_key',
]);

/** Where format_schema is read from: a file (its default, and format_schema itself must be empty) or the string. */
const FORMAT_SCHEMA_SOURCES = new Set(['file', 'string']);

/** Input formats that evaluate expressions found in their data unless told not to. */
const EXPRESSION_FORMATS = new Set(['values', 'mysqldump']);
const EXPRESSION_SETTINGS = [
  'input_format_values_interpret_expressions',
  'input_format_values_deduce_templates_of_expressions',
];

/** A path, a glob or a home directory: what the Filesystem database and file() take for files. */
const PATH_LIKE = /[/\\*?{}[\]~]|\.\./;

/** Settings naming the engine a CREATE without ENGINE gets. */
const ENGINE_SETTINGS = new Set(['default_table_engine', 'default_temporary_table_engine', 'default_database_engine']);

/** Statements refused whole: they copy data to and from files and other storage. */
const KINDS_DENIED = new Set(['BACKUP', 'RESTORE']);

/** Words that end a FROM clause (at its own depth). */
const FROM_CLAUSE_END = new Set([
  'WHERE',
  'PREWHERE',
  'GROUP',
  'ORDER',
  'HAVING',
  'LIMIT',
  'OFFSET',
  'SETTINGS',
  'FORMAT',
  'UNION',
  'EXCEPT',
  'INTERSECT',
  'WINDOW',
  'QUALIFY',
  'INTO',
  'SELECT',
]);

/** Words that may follow ENGINE when it is a column, not the ENGINE clause (`SELECT engine FROM ...`). */
const NOT_AN_ENGINE = new Set(['FROM', 'AS', 'WHERE', 'AND', 'OR', 'IN', 'NOT', 'IS', 'LIKE', 'ILIKE', 'FORMAT']);

/**
 * Functions whose arguments use FROM as a keyword (`extract(DAY FROM d)`, `trim(BOTH ' ' FROM s)`): inside their
 * brackets FROM names no table. Every other bracket may hold a query (`view(FROM t SELECT *)`, `IN (...)`).
 */
const FROM_KEYWORD_CALLS = new Set(['EXTRACT', 'TRIM', 'SUBSTRING', 'SUBSTR', 'OVERLAY', 'POSITION']);

/** One significant token, with what the policy needs of it. */
interface Lexeme {
  type: Token['type'];
  /** Raw text. */
  text: string;
  /** For quoted identifiers and strings: the content; else the text. */
  name: string;
  /** For words: the text in upper case. */
  upper?: string;
  depth: number;
}

export interface AccessRequest {
  /** Settings from the URL (name, value). */
  settings?: ReadonlyArray<readonly [string, string]>;
  /** Query parameters from the URL (without the `param_` prefix). */
  params?: Readonly<Record<string, string>>;
  /** The directory relative table names resolve against in the Filesystem database (the process's). */
  cwd?: string;
}

const denied = (what: string): ClickHouseError =>
  new ClickHouseError(497, 'ACCESS_DENIED', `${what}: this server does not reach outside its database`);

/**
 * Throws ACCESS_DENIED (497, HTTP 403) when `sql` (one statement) or the request's settings would read or write
 * outside the database; returns quietly otherwise.
 */
export function checkAccess(sql: string, request: AccessRequest = {}, nesting = 0): void {
  const cwd = request.cwd ?? process.cwd();
  if (nesting > 4) throw denied('SQL nested too deep in strings');
  if (nesting === 0) for (const [name, value] of request.settings ?? []) checkSetting(name, value, request);

  const lexemes = lex(sql);
  const word = (i: number) => lexemes[i]?.upper;
  const isName = (i: number) => lexemes[i]?.type === 'word' || lexemes[i]?.type === 'quoted';
  const isOpen = (i: number) => lexemes[i]?.type === 'open' && lexemes[i].text === '(';
  const kind = word(0) ?? '';
  if (KINDS_DENIED.has(kind)) throw denied(`${kind} is not allowed`);
  const creates = ['CREATE', 'ATTACH', 'REPLACE'].includes(kind);
  const isInsert = kind === 'INSERT';
  if (isInsert && nesting === 0) checkInsertFormat();

  const callName = (i: number) => lexemes[i].name.toLowerCase();

  // Open FROM clauses: the depth each was opened at.
  const fromDepths: number[] = [];
  // Per open bracket: whether a query runs inside it (`(SELECT`, `view(WITH`), so that its FROM names a table,
  // unlike the FROM in `extract(DAY FROM d)` or `trim(BOTH ' ' FROM s)`.
  const queryBrackets: boolean[] = [];
  /** What the next lexeme is expected to be: a table or table function, or a table (then `(` opens columns). */
  let expectTable: 'function' | 'name' | undefined;
  // A lexeme that is not a table expression after all is visited twice; brackets are counted once.
  let counted = -1;
  for (let i = 0; i < lexemes.length; i++) {
    const lexeme = lexemes[i];
    const upper = word(i);
    const previous = word(i - 1);
    if (i > counted) {
      counted = i;
      if (lexeme.type === 'open')
        queryBrackets.push(!(lexemes[i - 1]?.type === 'word' && FROM_KEYWORD_CALLS.has(previous ?? '')));
      if (lexeme.type === 'close') queryBrackets.pop();
    }
    const inQuery = queryBrackets.length === 0 || queryBrackets[queryBrackets.length - 1];

    // Any call of an outside-reaching name, wherever it stands.
    if (isName(i) && isOpen(i + 1) && CALLS_DENIED.has(callName(i))) throw denied(`${lexeme.name}() is not allowed`);
    // A quoted name that is a path or a glob names a file wherever a table may stand (`TO`, Buffer(...), ...).
    if (lexeme.type === 'quoted' && PATH_LIKE.test(lexeme.name)) throw denied(`${lexeme.text} names a file`);
    // Data read by format() is parsed, and with Values evaluated: it must pass as SQL too.
    // Buffer(db, table, ...) reads and writes another table, which must not be a file.
    if (isName(i) && isOpen(i + 1) && ['format', 'buffer'].includes(callName(i))) {
      for (let j = i + 2; j < lexemes.length && lexemes[j].depth > lexeme.depth; j++) {
        if (lexemes[j].type !== 'string' && !isName(j)) continue;
        if (callName(i) === 'format' && lexemes[j].type === 'string')
          checkAccess(lexemes[j].name, request, nesting + 1);
        if (callName(i) === 'buffer') checkTableName(lexemes[j].name, lexemes[j].text, cwd);
      }
    }
    // {name:Identifier} query parameter: the value it stands for must not name a file.
    if (lexeme.text === '{' && /^identifier$/i.test(lexemes[i + 3]?.text ?? '')) {
      const value = request.params?.[lexemes[i + 1].name];
      // A value set earlier in a session (`SET param_t = ...`) is out of sight: it must come with the request.
      if (value === undefined) throw denied(`{${lexemes[i + 1].name}:Identifier} needs its value in this request`);
      // Judged whole (`/path/x.csv`, `events.csv`) and as db.table (`default.Dockerfile`).
      checkTableName(value, value, cwd);
      const parts = value.split('.');
      if (parts.length === 2) checkTableName(parts[1], value, cwd, parts[0] === 'default');
    }

    // FROM / JOIN clauses: a table function must be on the allowlist; a table must not name a file.
    while (fromDepths.length > 0 && lexeme.depth < fromDepths[fromDepths.length - 1]) fromDepths.pop();
    const inFrom = fromDepths.length > 0 && fromDepths[fromDepths.length - 1] === lexeme.depth;
    if (inFrom && upper && FROM_CLAUSE_END.has(upper)) fromDepths.pop();
    if (expectTable) {
      const expected = expectTable;
      expectTable = undefined;
      i = checkTableExpression(i, expected === 'function');
      continue;
    }
    // ATTACH TABLE t FROM 'dir': data from a directory outside the database.
    if (kind === 'ATTACH' && upper === 'FROM' && lexemes[i + 1]?.type === 'string')
      throw denied('ATTACH ... FROM a path is not allowed');
    if (inQuery && (upper === 'FROM' || (upper === 'JOIN' && previous !== 'ARRAY'))) {
      if (upper === 'FROM' && word(i + 1) === 'INFILE') continue;
      if (upper === 'FROM') fromDepths.push(lexeme.depth);
      expectTable = 'function';
      continue;
    }
    if (inFrom && lexeme.type === 'punct' && lexeme.text === ',') {
      expectTable = 'function';
      continue;
    }
    // INSERT INTO [TABLE] name (columns), INSERT INTO [TABLE] FUNCTION f(...), DESCRIBE [TABLE] f(...), and
    // the other statements naming a table.
    const describes = kind === 'DESCRIBE' || kind === 'DESC';
    if (
      (upper === 'INTO' && lexeme.depth === 0) ||
      upper === 'FUNCTION' ||
      upper === 'TABLE' ||
      ((describes || kind === 'EXISTS') && i === 0)
    ) {
      const next = word(i + 1);
      if (next === 'TABLE' || next === 'FUNCTION' || next === 'OUTFILE' || next === 'TEMPORARY') continue;
      // `CREATE FUNCTION f AS ...` names a function, not a table function.
      if (upper === 'FUNCTION' && previous !== 'INTO' && previous !== 'TABLE') continue;
      expectTable = upper === 'FUNCTION' || describes || (kind === 'EXISTS' && i === 0) ? 'function' : 'name';
      continue;
    }
    // CREATE MATERIALIZED VIEW v TO <table>: the table it writes to.
    if (creates && upper === 'TO' && lexeme.depth === 0) {
      expectTable = 'name';
      continue;
    }
    // CREATE TABLE t AS <table or table function>: takes the other one's structure and engine.
    if (creates && upper === 'AS' && lexeme.depth === 0 && !['SELECT', 'WITH'].includes(word(i + 1) ?? '')) {
      if (!isOpen(i + 1)) {
        expectTable = 'function';
        continue;
      }
    }

    // ENGINE [=] name: table and database engines come from the allowlist.
    if (creates && upper === 'ENGINE' && lexeme.depth === 0) {
      let j = i + 1;
      if (lexemes[j]?.type === 'punct' && lexemes[j].text === '=') j++;
      if (isName(j) && !NOT_AN_ENGINE.has(word(j) ?? '')) {
        const name = lexemes[j].name;
        if (!ENGINES_ALLOWED.has(name.toLowerCase())) throw denied(`ENGINE ${name} is not allowed`);
      }
    }

    // SOURCE(name(...)) of a dictionary: only the database itself.
    if (creates && upper === 'SOURCE' && isOpen(i + 1) && isName(i + 2)) {
      const name = callName(i + 2);
      if (!DICTIONARY_SOURCES_ALLOWED.has(name))
        throw denied(`dictionary SOURCE(${lexemes[i + 2].text}) is not allowed`);
      // A ClickHouse source with a host is another server; its TABLE must be a table, its QUERY and WHERE
      // are SQL run here.
      let table: string | undefined;
      let database: string | undefined;
      for (let j = i + 3; j < lexemes.length && lexemes[j].depth > lexeme.depth; j++) {
        const key = word(j);
        if (key === 'HOST' || key === 'PORT' || key === 'SECURE')
          throw denied(`dictionary SOURCE(CLICKHOUSE(${key} ...)) is not allowed`);
        if (key === 'TABLE' && lexemes[j + 1]) table = lexemes[j + 1].name;
        if (key === 'DB' && lexemes[j + 1]) database = lexemes[j + 1].name;
        if (lexemes[j].type === 'string') checkAccess(lexemes[j].name, request, nesting + 1);
      }
      if (table !== undefined) checkTableName(table, table, cwd, database === undefined || database === 'default');
    }

    // SET name = value / SETTINGS name = value.
    if (isName(i) && lexemes[i + 1]?.type === 'punct' && lexemes[i + 1].text === '=') {
      const value = lexemes[i + 2];
      checkSetting(
        lexeme.name,
        value?.name ?? '',
        request,
        value?.type === 'string' || value?.type === 'word',
        nesting,
      );
    }
  }

  /**
   * `INSERT ... FORMAT Values` (and MySQLDump, read the same way) evaluates what it cannot parse as a literal:
   * rows such as `(file('/etc/hostname'))` in data this check never sees. Such an insert must turn that off.
   */
  function checkInsertFormat(): void {
    const formatAt = lexemes.findIndex((l, i) => l.depth === 0 && word(i) === 'FORMAT');
    const format = formatAt >= 0 ? lexemes[formatAt + 1]?.name : undefined;
    if (!format || !EXPRESSION_FORMATS.has(format.toLowerCase())) return;
    // Both must be off: template deduction evaluates expressions too (measured: it ran file() with the first off).
    const off = (setting: string) => {
      const fromUrl = request.settings?.filter(([name]) => name === setting).pop()?.[1];
      const at = lexemes.findIndex((l) => l.type === 'word' && l.name === setting);
      const value = at >= 0 ? lexemes[at + 2]?.name : fromUrl;
      return value !== undefined && ['0', 'false'].includes(value.toLowerCase());
    };
    if (EXPRESSION_SETTINGS.every(off)) return;
    throw denied(
      `INSERT ... FORMAT ${format} evaluates expressions in its data; set ${EXPRESSION_SETTINGS.join(' = 0, ')} = 0, or send the rows as INSERT ... VALUES in the query`,
    );
  }

  /** Judges the table expression starting at lexeme i; returns the index of its last lexeme. */
  function checkTableExpression(i: number, functionPosition: boolean): number {
    const lexeme = lexemes[i];
    if (!lexeme) return i;
    // A string where a table goes is a file to the Filesystem database (`FROM '/etc/hostname'`, `ATTACH ... FROM`).
    if (lexeme.type === 'string') {
      checkTableName(lexeme.name, lexeme.text, cwd);
      return i;
    }
    if (!isName(i)) return i - 1;
    // db.name or name
    let j = i;
    const parts = [lexeme];
    while (lexemes[j + 1]?.type === 'punct' && lexemes[j + 1].text === '.' && isName(j + 2)) {
      parts.push(lexemes[j + 2]);
      j += 2;
    }
    if (isOpen(j + 1) && functionPosition) {
      const name = callName(j);
      if (parts.length > 1 || !TABLE_FUNCTIONS_ALLOWED.has(name))
        throw denied(`table function ${lexemes[j].text}() is not allowed`);
      if (name === 'input' && !isInsert) throw denied('input() is allowed only in an INSERT');
      return j;
    }
    // Only the default database (an Overlay) falls back to files; elsewhere a name is just a name.
    const database = parts.length > 1 ? parts[parts.length - 2].name : undefined;
    const last = parts[parts.length - 1];
    checkTableName(last.name, last.text, cwd, database === undefined || database === 'default');
    return j;
  }
}

/**
 * A table name the Filesystem part of the default database would read as a file: a path, a glob, or (in the
 * default database) the name of a file in the server's directory.
 */
function checkTableName(name: string, shown: string, cwd: string, overlay = true): void {
  if (PATH_LIKE.test(name)) throw denied(`table ${shown} names a file`);
  if (!overlay || !name || name === '.') return;
  const path = isAbsolute(name) ? name : resolve(cwd, name);
  if (statSync(path, { throwIfNoEntry: false })?.isFile()) throw denied(`table ${shown} names a file`);
}

function checkSetting(name: string, value: string, request: AccessRequest, valueKnown = true, nesting = 0): void {
  const cwd = request.cwd ?? process.cwd();
  const lower = name.toLowerCase();
  if (SETTINGS_EMPTY_ONLY.has(lower) && (!valueKnown || value !== '')) throw denied(`setting ${name} is not allowed`);
  if (lower === 'format_schema_source' && (!valueKnown || !FORMAT_SCHEMA_SOURCES.has(value.toLowerCase())))
    throw denied(`setting ${name} = ${value} is not allowed`);
  if (SETTINGS_WITH_SQL.has(lower)) {
    if (!valueKnown) throw denied(`setting ${name} is not allowed`);
    // A filter map ({'table': 'condition'}) carries its SQL in strings: check the value and each string in it.
    checkAccess(value, { cwd }, nesting + 1);
    for (const lexeme of lex(value)) if (lexeme.type === 'string') checkAccess(lexeme.name, { cwd }, nesting + 1);
  }
  if (lower === 'dialect' && (!valueKnown || value.toLowerCase() !== 'clickhouse'))
    throw denied(`setting ${name} = ${value} is not allowed`);
  // CREATE without ENGINE takes these; they must be engines that stay inside.
  if (ENGINE_SETTINGS.has(lower) && (!valueKnown || !ENGINES_ALLOWED.has(value.toLowerCase())))
    throw denied(`setting ${name} = ${value} is not allowed`);
  // Queries without FROM read this table.
  if (lower === 'implicit_table_at_top_level' && value) {
    if (!valueKnown) throw denied(`setting ${name} is not allowed`);
    checkTableName(value, value, cwd);
  }
}

/** Significant tokens of `sql`, with paren depth; throws nothing (an unfinished token runs to the end). */
function lex(sql: string): Lexeme[] {
  const out: Lexeme[] = [];
  let pos = 0;
  let depth = 0;
  while (true) {
    const found = nextToken(sql, pos, true);
    if (!found || found === INCOMPLETE) break;
    const token = sql[found.start] === '$' ? dollarToken(sql, found.start) : found;
    pos = token.end;
    const text = sql.slice(token.start, token.end);
    if (token.type === 'close') depth = Math.max(0, depth - 1);
    if (token.type === 'word') {
      // ClickHouse's words are ASCII; to it a Unicode space between two runs is a space (`file\u00a0(`).
      const runs = /^[\w$]+$/.test(text) ? [text] : text.split(/[^\w$]+/);
      for (const run of runs)
        if (run) out.push({ type: 'word', text: run, name: run, upper: run.toUpperCase(), depth });
      continue;
    }
    if (token.type === 'number' && /[+-]/.test(text)) {
      // `0x1e-file(...)` is 0x1e minus file(...) to ClickHouse: judge the pieces after a sign on their own.
      for (const piece of text.split(/[+-]/)) {
        if (!piece) continue;
        if (/^[\d.]/.test(piece)) out.push({ type: 'number', text: piece, name: piece, depth });
        else out.push({ type: 'word', text: piece, name: piece, upper: piece.toUpperCase(), depth });
      }
      continue;
    }
    const quoted = token.type === 'quoted' || token.type === 'string';
    const heredoc = token.type === 'string' && text[0] === '$' ? /^\$\w*\$/.exec(text)?.[0] : undefined;
    const name = heredoc
      ? text.slice(heredoc.length, -heredoc.length)
      : quoted
        ? /\\/.test(text) || text.length < 2
          ? unquote(text)
          : plain(text)
        : text;
    out.push({ type: token.type, text, name, depth });
    if (token.type === 'open') depth++;
  }
  return out;
}

const ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '0': '\0',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  e: '\x1b',
};

/**
 * A token at `$` as ClickHouse's lexer reads it: `$tag$...$tag$` (tag of word characters, any length) is a
 * heredoc string only when the closing tag follows; otherwise `$tag$...` is a bare word (`WITH 1 AS $a$ ...`),
 * and a `$` before a non-word character stands alone.
 */
function dollarToken(sql: string, start: number): Token {
  const tag = /^\$\w*\$/.exec(sql.slice(start, start + 4096))?.[0];
  if (tag) {
    const close = sql.indexOf(tag, start + tag.length);
    if (close >= 0) return { type: 'string', start, end: close + tag.length };
  }
  let end = start + 1;
  while (end < sql.length && /[\w$]/.test(sql[end])) end++;
  return end === start + 1 ? { type: 'punct', start, end } : { type: 'word', start, end };
}

/** The content of a quoted name or string without escapes: quotes removed, doubled quotes made single. */
function plain(text: string): string {
  const body = text.slice(1, -1);
  return body.includes(text[0]) ? body.split(text[0] + text[0]).join(text[0]) : body;
}

/** The content of a quoted identifier or string: quotes removed, `\x` and doubled quotes resolved. */
function unquote(text: string): string {
  const quote = text[0];
  const body = text.endsWith(quote) && text.length > 1 ? text.slice(1, -1) : text.slice(1);
  return body
    .replace(/\\(x[0-9a-fA-F]{2}|.)/gs, (_, c: string) =>
      c.length === 3 ? String.fromCharCode(parseInt(c.slice(1), 16)) : (ESCAPES[c] ?? c),
    )
    .split(quote + quote)
    .join(quote);
}
