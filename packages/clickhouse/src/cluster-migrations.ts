import type { Migration } from './migrations';

/**
 * The migrations of clickhouse/migrations rendered for a ClickHouse cluster. The SQL files stay the
 * single source, written for one server; each statement is rewritten here by the rule of its kind:
 *
 * - DDL runs `ON CLUSTER <cluster>`, so every host applies it from the distributed DDL queue.
 * - A table `t` becomes `t_local` on every host, its MergeTree engine the Replicated variant (same
 *   arguments after the replica path and name), plus a Distributed table named `t` over the
 *   `t_local` of every shard. The apps keep querying and inserting into `t`: reads gather all
 *   shards, inserts are split by the table's sharding key (SHARDING_KEYS).
 * - A materialized view runs on every host, reading the inserts into its local source and writing
 *   to its local target, so each shard keeps its own rollups of its own rows.
 * - Settings that only a non-replicated table has are replaced by their replicated counterpart.
 *
 * A statement of a kind no rule knows is refused (the renderer never guesses): add a rule.
 */

/** Where a cluster's migrations go: the cluster as the servers' `remote_servers` names it, and the database. */
export interface ClusterTarget {
  cluster: string;
  /** The database the tables live in, named in each Distributed table (the migrations' current database). */
  database: string;
}

/** Where a replicated table keeps its replicas in Keeper; `{shard}` and `{replica}` are the hosts' macros. */
export const REPLICA_PATH = '/clickhouse/tables/{shard}/{database}/{table}';
export const REPLICA_NAME = '{replica}';

/** The suffix of the per-host table under a Distributed table of the table's own name. */
export const LOCAL_SUFFIX = '_local';

/**
 * How each table's rows are spread over the shards: the Distributed table's sharding key. Two rules:
 * - Deterministic, never rand(): the Flink sinks are exactly-once through insert deduplication tokens,
 *   and a replayed insert is only dropped if it splits into the same per-shard blocks as the first.
 * - A replacing table's key is a function of its sorting key, so every version of a row (and its
 *   tombstone) meets on one shard: FINAL and merges work per shard, and would otherwise keep both.
 * Aggregating rollups need no co-location (readers merge their states with GROUP BY); their key only
 * places direct inserts (a backfill's INSERT … SELECT), rows from the views land with their source row.
 */
export const SHARDING_KEYS: Readonly<Record<string, string>> = {
  // One Flink key (horizon, window end) per shard, and the history's key (horizon, topic, minute) on
  // the shard of its source rows: the history view folds each minute of a horizon where it was written.
  trending_topics: 'cityHash64(window_size, toStartOfMinute(window_end))',
  trending_topic_history: 'cityHash64(window_size, minute)',
  // The visitor, as `sessions.user_id` spells it: a visitor's events and sessions share a shard (a
  // journey or an erasure reads one), and a resent event carries the same visitor, so it still folds.
  events: "cityHash64(if(user_id != '', user_id, concat('a:', anonymous_id)))",
  // Append-only, never folded: any deterministic key that spreads them.
  dead_letters: 'cityHash64(received_at, reason)',
  engagement_minute: 'cityHash64(period, event_type, device_type, os, country)',
  engagement_hour: 'cityHash64(period, event_type, device_type, os, country)',
  engagement_day: 'cityHash64(period, event_type, device_type, os, country)',
  // The Session Analyzer's key (the visitor): a session's reports and tombstones meet on one shard.
  sessions: 'cityHash64(user_id)',
  session_minute: 'cityHash64(period, device_type, os, country)',
  session_hour: 'cityHash64(period, device_type, os, country)',
  session_day: 'cityHash64(period, device_type, os, country)',
  // By ad, changes and facts alike: a backfilled fact row lands where the views put its changes' rows.
  ad_performance_changes: 'cityHash64(campaign_id, ad_id)',
  ad_performance_minute: 'cityHash64(campaign_id, ad_id)',
  ad_performance_hour: 'cityHash64(campaign_id, ad_id)',
  ad_performance_day: 'cityHash64(campaign_id, ad_id)',
  user_erasures: 'cityHash64(erasure_id)',
};

/**
 * Table settings a replicated table does not take, and what it takes instead. A replicated table
 * deduplicates inserts by default (replicated_deduplication_window); the window is kept as written.
 */
export const REPLICATED_SETTINGS: Readonly<Record<string, string>> = {
  non_replicated_deduplication_window: 'replicated_deduplication_window',
};

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Why `value` cannot name a cluster or database in the rendered SQL (a plain identifier), or undefined. */
export function identifierProblem(value: string): string | undefined {
  return IDENTIFIER.test(value)
    ? undefined
    : 'expected a plain identifier (letters, digits, _; not starting with a digit)';
}

/** What a rule renders with: the target, the sharding keys, and what earlier statements created. */
interface Context {
  target: ClusterTarget;
  shardingKeys: Readonly<Record<string, string>>;
  /** The tables and views created so far, by their single-server names. */
  tables: Set<string>;
  views: Set<string>;
}

/** How one statement kind is rendered for a cluster. */
export interface Rule {
  kind: string;
  pattern: RegExp;
  render: (match: RegExpExecArray, context: Context) => string[];
}

const onCluster = (target: Pick<ClusterTarget, 'cluster'>) => `ON CLUSTER ${target.cluster}`;
const localName = (table: string) => `${table}${LOCAL_SUFFIX}`;

const QUOTES = new Set(["'", '"', '`']);

/** The index of the quote closing the one at `open` (a backslash escapes the next character). */
function closingQuote(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === text[open]) return i;
  }
  throw new Error(`unclosed quote in: ${text.slice(open, open + 80)}`);
}

/** The index just past the bracket closing the one at `open`, skipping quoted text. */
function closingBracket(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const char = text[i];
    if (QUOTES.has(char)) i = closingQuote(text, i);
    else if (char === '(') depth++;
    else if (char === ')' && --depth === 0) return i + 1;
  }
  throw new Error(`unbalanced brackets in: ${text.slice(open, open + 80)}`);
}

const MERGE_TREE = /^(Replacing|Summing|Aggregating|Collapsing|VersionedCollapsing|Graphite|Coalescing)?MergeTree$/;

/**
 * `ENGINE = ReplacingMergeTree(v)` as `ENGINE = ReplicatedReplacingMergeTree('<path>', '<replica>', v)`,
 * and the settings after it as a replicated table takes them. Only the MergeTree family has a
 * replicated variant: any other engine is refused.
 */
function replicatedEngine(definition: string): string {
  const engine = /\bENGINE\s*=\s*(\w+)/i.exec(definition);
  if (!engine) throw new Error('a table without ENGINE = …: give it its MergeTree engine explicitly');
  const name = engine[1];
  if (!MERGE_TREE.test(name)) throw new Error(`engine ${name} has no replicated variant; use a MergeTree engine`);
  let end = engine.index + engine[0].length;
  let args = '';
  const open = /^[ \t]*\(/.exec(definition.slice(end));
  if (open) {
    const from = end + open[0].length - 1;
    end = closingBracket(definition, from);
    args = definition.slice(from + 1, end - 1).trim();
  }
  const replicated = [`'${REPLICA_PATH}'`, `'${REPLICA_NAME}'`, ...(args ? [args] : [])].join(', ');
  const head = `${definition.slice(0, engine.index)}ENGINE = Replicated${name}(${replicated})`;
  return head + replicatedSettings(definition.slice(end));
}

/** The table settings in `sql` renamed as REPLICATED_SETTINGS says. */
function replicatedSettings(sql: string): string {
  return Object.entries(REPLICATED_SETTINGS).reduce(
    (text, [from, to]) => text.replace(new RegExp(`\\b${from}\\b`, 'g'), to),
    sql,
  );
}

/** `text` with `rewrite` applied to its parts outside quotes ('…', "…", `…`). */
function outsideQuotes(text: string, rewrite: (part: string) => string): string {
  let result = '';
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (!QUOTES.has(text[i])) continue;
    const end = closingQuote(text, i);
    result += rewrite(text.slice(start, i)) + text.slice(i, end + 1);
    start = end + 1;
    i = end;
  }
  return result + rewrite(text.slice(start));
}

/** `FROM t` and `JOIN t` of the migrations' tables as `FROM t_local`: a view reads its own host's inserts. */
function localSources(select: string, tables: ReadonlySet<string>): string {
  return outsideQuotes(select, (part) =>
    part.replace(/\b(FROM|JOIN)(\s+)(\w+)\b/gi, (whole, keyword: string, space: string, name: string) =>
      tables.has(name) ? `${keyword}${space}${localName(name)}` : whole,
    ),
  );
}

/** The Distributed table under the table's own name, over `<table>_local` on every shard. */
function distributedTable(table: string, ifNotExists: string, { target, shardingKeys }: Context): string {
  const key = shardingKeys[table];
  if (!key) throw new Error(`no sharding key chosen for table ${table}: add it to SHARDING_KEYS`);
  return (
    `CREATE TABLE ${ifNotExists}${table} ${onCluster(target)} AS ${localName(table)}\n` +
    `ENGINE = Distributed(${target.cluster}, ${target.database}, ${localName(table)}, ${key})`
  );
}

function knownTable(name: string, { tables }: Context): string {
  if (!tables.has(name)) throw new Error(`${name} is not a table the migrations created before`);
  return name;
}

/** `IF NOT EXISTS ` or `IF EXISTS ` as the statement had it, one space apart, or nothing. */
const normalised = (clause = '') =>
  clause
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => `${w} `)
    .join('');

/** A table with its columns: the replicated local table, then the Distributed table. */
function renderCreateTable(match: RegExpExecArray, context: Context): string[] {
  const [head, create, ifNotExists, table] = match;
  const local = `${create}${localName(table)} ${onCluster(context.target)}`;
  context.tables.add(table);
  return [
    local + replicatedEngine(match.input.slice(head.length)),
    distributedTable(table, normalised(ifNotExists), context),
  ];
}

/** A table with another's columns (`AS other`): the same, copying the other's local table. */
function renderCreateTableAs(match: RegExpExecArray, context: Context): string[] {
  const [head, create, ifNotExists, table, space, source] = match;
  const local = `${create}${localName(table)} ${onCluster(context.target)}${space}AS ${localName(knownTable(source, context))}`;
  context.tables.add(table);
  return [
    local + replicatedEngine(match.input.slice(head.length)),
    distributedTable(table, normalised(ifNotExists), context),
  ];
}

/** A materialized view `TO` a table: on every host, from the local source to the local target. */
function renderCreateView(match: RegExpExecArray, context: Context): string[] {
  const [head, create, , view, space, target] = match;
  const to = `TO ${localName(knownTable(target, context))}`;
  context.views.add(view);
  const select = localSources(match.input.slice(head.length), context.tables);
  return [`${create}${view} ${onCluster(context.target)}${space}${to}${select}`];
}

/** A table goes with its Distributed table (first, so nothing reads a table half gone); SYNC frees its Keeper path. */
function renderDrop(match: RegExpExecArray, context: Context): string[] {
  const [, keyword, ifExists, name] = match;
  const drop = (n: string) => `DROP ${keyword} ${normalised(ifExists)}${n} ${onCluster(context.target)} SYNC`;
  if (context.views.delete(name)) return [drop(name)];
  if (context.tables.delete(name)) return [drop(name), drop(localName(name))];
  throw new Error(`${name} is neither a table nor a view the migrations created before`);
}

const COLUMN_COMMAND = /^(ADD|DROP|MODIFY|RENAME|COMMENT)\s+COLUMN\b/i;

/** The commands of an ALTER, split at the commas outside brackets and quotes. */
function alterCommands(commands: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < commands.length; i++) {
    const char = commands[i];
    if (char === '(') i = closingBracket(commands, i) - 1;
    else if (QUOTES.has(char)) i = closingQuote(commands, i);
    else if (char === ',') {
      parts.push(commands.slice(start, i).trim());
      start = i + 1;
    }
  }
  return [...parts, commands.slice(start).trim()];
}

/**
 * Column changes apply to the local and the Distributed table (their columns must match): the local
 * first, except drops, which leave the Distributed table first. Anything else (TTL, settings,
 * mutations) concerns the stored rows, so the local table only. A view's ALTER reads local sources.
 */
function renderAlter(match: RegExpExecArray, context: Context): string[] {
  const [, name, space, commands] = match;
  const alter = (n: string, text: string) => `ALTER TABLE ${n} ${onCluster(context.target)}${space}${text}`;
  if (context.views.has(name)) return [alter(name, localSources(commands, context.tables))];
  knownTable(name, context);
  const columnChanges = alterCommands(commands).map((command) => COLUMN_COMMAND.test(command));
  if (columnChanges.every((change) => !change)) return [alter(localName(name), replicatedSettings(commands))];
  if (!columnChanges.every(Boolean)) throw new Error(`ALTER TABLE ${name} mixes column and other changes: split it`);
  const both = [alter(localName(name), commands), alter(name, commands)];
  return alterCommands(commands).every((command) => /^DROP\b/i.test(command)) ? both.reverse() : both;
}

/**
 * The statement kinds the migrations use, each with its rule. Patterns take a statement as
 * splitStatements leaves it (comment lines gone, trimmed) and match its head, plain names only.
 */
export const STATEMENT_RULES: readonly Rule[] = [
  {
    kind: 'CREATE TABLE (columns)',
    pattern: /^(CREATE\s+TABLE\s+(IF\s+NOT\s+EXISTS\s+)?)(\w+)(?=\s*\()/i,
    render: renderCreateTable,
  },
  {
    kind: 'CREATE TABLE AS',
    pattern: /^(CREATE\s+TABLE\s+(IF\s+NOT\s+EXISTS\s+)?)(\w+)(\s+)AS\s+(\w+)(?=\s+ENGINE\b)/i,
    render: renderCreateTableAs,
  },
  {
    kind: 'CREATE MATERIALIZED VIEW TO',
    pattern: /^(CREATE\s+MATERIALIZED\s+VIEW\s+(IF\s+NOT\s+EXISTS\s+)?)(\w+)(\s+)TO\s+(\w+)(?=\s+AS\s)/i,
    render: renderCreateView,
  },
  {
    kind: 'DROP TABLE/VIEW',
    pattern: /^DROP\s+(TABLE|VIEW)\s+(IF\s+EXISTS\s+)?(\w+)$/i,
    render: renderDrop,
  },
  {
    kind: 'ALTER TABLE',
    pattern: /^ALTER\s+TABLE\s+(\w+)(\s+)(?!ON\s+CLUSTER\b)(\S[\s\S]*)$/i,
    render: renderAlter,
  },
];

/** The rule for a statement and its match, or undefined for a kind no rule knows. */
export function statementRule(statement: string): { rule: Rule; match: RegExpExecArray } | undefined {
  for (const rule of STATEMENT_RULES) {
    const match = rule.pattern.exec(statement);
    if (match) return { rule, match };
  }
  return undefined;
}

/** The statements of one migration file for the cluster, `context` carrying what earlier ones created. */
function renderStatements(statements: string[], context: Context): string[] {
  return statements.flatMap((statement) => {
    const found = statementRule(statement);
    if (!found) throw new Error(`no cluster rule for this statement: ${statement.slice(0, 80)}…`);
    return found.rule.render(found.match, context);
  });
}

/** Throws naming the bad part of a target, before any SQL is rendered with it. */
function checkClusterTarget(target: ClusterTarget): void {
  for (const [what, value] of Object.entries(target)) {
    const problem = identifierProblem(value as string);
    if (problem) throw new Error(`${what} ${JSON.stringify(value)}: ${problem}`);
  }
}

/**
 * Every migration rendered for the cluster, in order (a statement's rule needs to know what the
 * earlier migrations created). Versions, names and checksums are the files': a migration is the
 * same one on a single server and a cluster, only its statements differ.
 */
export function renderForCluster(
  migrations: readonly Migration[],
  target: ClusterTarget,
  shardingKeys: Readonly<Record<string, string>> = SHARDING_KEYS,
): Migration[] {
  checkClusterTarget(target);
  const context: Context = { target, shardingKeys, tables: new Set(), views: new Set() };
  return migrations.map((migration) => {
    try {
      return { ...migration, statements: renderStatements(migration.statements, context) };
    } catch (error) {
      const label = `${String(migration.version).padStart(4, '0')}_${migration.name}`;
      throw new Error(`migration ${label} for cluster ${target.cluster}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  });
}

/**
 * The migration runner's own table on a cluster: one copy on every host of every shard (its Keeper
 * path has no `{shard}`), so whichever host the runner reaches knows what was applied.
 */
export function schemaMigrationsTable(target: Pick<ClusterTarget, 'cluster'>): string {
  return `CREATE TABLE IF NOT EXISTS schema_migrations ${onCluster(target)} (
      version UInt32, name String, checksum String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3)
    ) ENGINE = ReplicatedMergeTree('/clickhouse/tables/all/{database}/{table}', '{shard}_{replica}') ORDER BY version`;
}
