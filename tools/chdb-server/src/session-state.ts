import { ClickHouseError } from './clickhouse-error';
import type { EngineConnection } from './engine-pool';
import type { RequestOptions } from './request-options';
import { INCOMPLETE, type Token, nextToken, quoteIdentifier, quoteString } from './sql-lexer';
import { type User, checkSettingChanges, profileReadonly } from './users';

/**
 * What a statement can leave behind on the engine connection it ran on, read from its tokens.
 * A pooled connection that ran a statement which may change per-connection state (settings,
 * current database, temporary tables, query parameters, roles, transactions) is replaced
 * before another request gets it; only statements known to act on shared objects alone keep it.
 */

/** Up to `limit` significant tokens from the start of `sql`, with leading `(` skipped. */
function leadingTokens(sql: string, limit: number): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  while (tokens.length < limit) {
    const token = nextToken(sql, pos, true);
    if (!token || token === INCOMPLETE) break;
    pos = token.end;
    if (tokens.length === 0 && token.type === 'open') continue;
    tokens.push(token);
  }
  return tokens;
}

const upperWord = (sql: string, token: Token | undefined): string | undefined =>
  token?.type === 'word' ? sql.slice(token.start, token.end).toUpperCase() : undefined;

/** Statements that read, or write shared tables, and never touch the connection's own state. */
const READS = new Set(['SELECT', 'WITH', 'SHOW', 'DESCRIBE', 'DESC', 'EXISTS']);
/** For CREATE/ATTACH/DROP/DETACH/ALTER/RENAME/EXCHANGE/UNDROP: the object kinds that are shared, not per connection. */
const SHARED_OBJECTS = new Set(['TABLE', 'TABLES', 'DATABASE', 'VIEW', 'MATERIALIZED', 'DICTIONARY', 'DICTIONARIES']);
const DDL = new Set(['CREATE', 'ATTACH', 'DROP', 'DETACH', 'ALTER', 'RENAME', 'EXCHANGE', 'UNDROP', 'REPLACE']);

/**
 * Whether running `sql` may leave state on its connection. Clean: reads (SELECT, WITH, SHOW,
 * DESCRIBE, EXISTS), INSERT, OPTIMIZE/TRUNCATE of tables, and DDL on tables, views, databases
 * and dictionaries. Everything else (SET, USE, anything TEMPORARY, SYSTEM, access control,
 * transactions, statements this list does not know) taints: the connection is replaced.
 */
export function leavesConnectionState(sql: string): boolean {
  const tokens = leadingTokens(sql, 8);
  const words = tokens.map((t) => upperWord(sql, t));
  const [kind] = words;
  if (kind === undefined) return true;
  if (READS.has(kind) || kind === 'INSERT') return false;
  if (words.includes('TEMPORARY')) return true;
  if (kind === 'OPTIMIZE' || kind === 'TRUNCATE') return words[1] !== 'TABLE';
  if (!DDL.has(kind)) return true;
  // CREATE [OR REPLACE] [IF NOT EXISTS] TABLE ..., DROP TABLE [IF EXISTS] ..., ALTER TABLE ...
  let i = 1;
  if (words[i] === 'OR' && words[i + 1] === 'REPLACE') i += 2;
  return !SHARED_OBJECTS.has(words[i] ?? '');
}

/** `SET <word> ...` forms that are not `SET name = value`. */
const SET_FORMS = new Set(['PROFILE', 'ROLE', 'DEFAULT', 'TRANSACTION']);

/**
 * Statements allowed to run in a request that is read-only for itself alone (see RequestState):
 * reads, and not `WITH ... INSERT`, which the engine accepts.
 */
export function isReadStatement(sql: string): boolean {
  const [first] = leadingTokens(sql, 1);
  const kind = upperWord(sql, first);
  if (kind === undefined || !READS.has(kind)) return false;
  if (kind !== 'WITH') return true;
  let pos = 0;
  let depth = 0;
  while (true) {
    const token = nextToken(sql, pos, true);
    if (!token || token === INCOMPLETE) return true;
    pos = token.end;
    if (token.type === 'open') depth++;
    else if (token.type === 'close') depth = Math.max(0, depth - 1);
    else if (depth === 0 && upperWord(sql, token) === 'INSERT') return false;
  }
}

/** The setting names a `SET a = 1, b = 2` statement assigns (lower case as written); [] for other statements. */
export function setStatementNames(sql: string): string[] {
  let pos = 0;
  let depth = 0;
  let expectName = false;
  const names: string[] = [];
  let index = 0;
  while (true) {
    const token = nextToken(sql, pos, true);
    if (!token || token === INCOMPLETE) break;
    pos = token.end;
    if (index++ === 0) {
      if (upperWord(sql, token) !== 'SET') return [];
      expectName = true;
      continue;
    }
    if (token.type === 'open') depth++;
    else if (token.type === 'close') depth = Math.max(0, depth - 1);
    else if (depth === 0 && token.type === 'punct' && sql[token.start] === ',') expectName = true;
    else if (expectName) {
      expectName = false;
      const raw = sql.slice(token.start, token.end);
      names.push(token.type === 'quoted' ? raw.slice(1, -1) : raw);
    }
  }
  return names;
}

/**
 * Puts a connection in the state one request asks for, and (on a session's connection) takes
 * back afterwards what belonged to that request alone. As in ClickHouse, the request's
 * database, URL settings and GET's `readonly = 2` apply to that request only; a session keeps
 * only what its own statements (SET, USE, CREATE TEMPORARY TABLE) changed.
 */
export class RequestState {
  private restoreSql: string[] = [];
  /** Set when the request is read-only but its session is not: only reads may run. */
  private readOnlyLevel?: '1' | '2';

  private constructor(private readonly connection: EngineConnection) {}

  /**
   * Pooled connections get the user's database and profile, GET's readonly and the URL's
   * settings by SET (they are replaced afterwards: see leavesConnectionState). A session's
   * connection got its user's profile when it was opened.
   */
  static async apply(
    connection: EngineConnection,
    user: User,
    options: RequestOptions,
    request: { isGet: boolean; inSession: boolean; sql: string },
  ): Promise<RequestState> {
    checkSettingChanges(user, options.settings);
    const state = new RequestState(connection);
    const params = Object.entries(options.params).map(
      ([k, v]) => `${quoteIdentifier(`param_${k}`)} = ${quoteString(v)}`,
    );
    const assign = (settings: Array<[string, string]>) =>
      settings.map(([k, v]) => `${quoteIdentifier(k)} = ${quoteString(v)}`);
    const statements: string[] = [];
    if (!request.inSession) {
      const database = options.database ?? user.database;
      if (database) statements.push(`USE ${quoteIdentifier(database)}`);
      const profile = Object.entries(user.profile);
      if (profile.length > 0) statements.push(`SET ${assign(profile).join(', ')}`);
      // GET requests may only read: ClickHouse raises readonly 0 to 2 for them.
      if (request.isGet && profileReadonly(user) === '0') statements.push('SET readonly = 2');
      const changes = [...assign(options.settings), ...params];
      if (changes.length > 0) statements.push(`SET ${changes.join(', ')}`);
      if (statements.length > 0) {
        connection.tainted = true;
        await connection.session.queryAsync(statements.join('; '), { format: 'TabSeparated' });
      }
      return state;
    }

    // A session: find what the connection holds now, so that the request's own changes can be taken back.
    if (!request.isGet && options.settings.length === 0 && !options.database) {
      // Nothing of the request's own to apply but its parameters (which, unlike ClickHouse's, stay in the session).
      if (params.length > 0)
        await connection.session.queryAsync(`SET ${params.join(', ')}`, { format: 'TabSeparated' });
      return state;
    }
    const settingNames = options.settings.map(([k]) => k).filter((k) => k !== 'readonly');
    const found = (
      await connection.session.queryAsync(
        `SELECT toString(getSetting('readonly')) AS readonly, currentDatabase() AS database, (SELECT groupArray((name, value, toString(changed))) FROM system.settings WHERE name IN (${
          settingNames.map(quoteString).join(', ') || "''"
        })) AS settings`,
        { format: 'JSONEachRow' },
      )
    ).json<{ readonly: string; database: string; settings: Array<[string, string, string]> }>();
    const current = found.readonly;
    const currentDatabase = found.database;
    const urlReadonly = options.settings.filter(([k]) => k === 'readonly').map(([, v]) => v);
    if (current !== '0') {
      if (urlReadonly.some((v) => v !== current))
        throw ClickHouseError.of('READONLY', "Cannot modify 'readonly' setting in readonly mode");
    } else {
      // readonly cannot be lowered once raised, so a request-only readonly is kept here, not by SET.
      const asked = urlReadonly.at(-1);
      if (asked !== undefined && asked !== '0') state.readOnlyLevel = asked === '2' ? '2' : '1';
      else if (request.isGet) state.readOnlyLevel = '2';
      if (state.readOnlyLevel) state.checkReadOnly(request.sql, request.isGet);
    }

    const ownNames = new Set(setStatementNames(request.sql));
    if (options.database && options.database !== currentDatabase) {
      statements.push(`USE ${quoteIdentifier(options.database)}`);
      if (!/^\s*USE\b/i.test(stripComments(request.sql)))
        state.restoreSql.push(`USE ${quoteIdentifier(currentDatabase)}`);
    }
    const changes = [...assign(options.settings.filter(([k]) => k !== 'readonly')), ...params];
    if (changes.length > 0) statements.push(`SET ${changes.join(', ')}`);
    if (settingNames.length > 0) {
      const snapshot = new Map(
        found.settings.map(([name, value, changed]) => [name, changed === '1' ? quoteString(value) : 'DEFAULT']),
      );
      const restore = [...new Set(settingNames)]
        .filter((name) => !ownNames.has(name))
        .map((name) => `${quoteIdentifier(name)} = ${snapshot.get(name) ?? 'DEFAULT'}`);
      state.restoreSql.push(...restore.map((assignment) => `SET ${assignment}`));
    }
    if (statements.length > 0) {
      try {
        await connection.session.queryAsync(statements.join('; '), { format: 'TabSeparated' });
      } catch (error) {
        await state.restore();
        throw error;
      }
    }
    return state;
  }

  /** A session request that is read-only for itself: reads, and for readonly 2 (GET) SET and USE, as ClickHouse allows. */
  private checkReadOnly(sql: string, isGet: boolean): void {
    if (isReadStatement(sql)) return;
    const names = setStatementNames(sql);
    // SET PROFILE, SET ROLE, SET TRANSACTION ... change more than plain settings: POST only.
    const plainSet = names.length > 0 && !names.some((n) => n === 'readonly' || SET_FORMS.has(n.toUpperCase()));
    const allowed = this.readOnlyLevel === '2' && (plainSet || /^\s*USE\b/i.test(stripComments(sql)));
    if (allowed) return;
    if (names.includes('readonly'))
      throw ClickHouseError.of('READONLY', "Cannot modify 'readonly' setting in readonly mode");
    throw ClickHouseError.of(
      'READONLY',
      isGet
        ? 'Cannot execute query in readonly mode. For queries over HTTP, method GET implies readonly. You should use method POST for modifying queries'
        : 'Cannot execute query in readonly mode',
    );
  }

  /** Takes back the request's own database and settings on a session's connection; idempotent. */
  async restore(): Promise<void> {
    const statements = this.restoreSql.splice(0);
    const run = (sql: string) => this.connection.session.queryAsync(sql, { format: 'TabSeparated' });
    if (statements.length === 0) return;
    try {
      await run(statements.join('; '));
    } catch {
      for (const sql of statements) {
        // A setting that cannot be put back (an alias, an unknown name the engine refused anyway) stays as it is.
        await run(sql).catch(() => undefined);
      }
    }
  }
}

/** The statement without leading comments and parentheses, for a keyword test at its start. */
function stripComments(sql: string): string {
  const [first] = leadingTokens(sql, 1);
  return first ? sql.slice(first.start) : '';
}
