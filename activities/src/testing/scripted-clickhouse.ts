import {
  ClickHouseError,
  parseError,
  type ClickHouseClient,
  type ClickHouseSettings,
  type CommandParams,
  type InsertParams,
  type QueryParams,
} from '@clickhouse/client';

/**
 * A scripted ClickHouse client for component tests: the outgoing port of an activity, standing in
 * for the `@clickhouse/client` ClickHouseClient it is given. It records every query, command and
 * insert with its parameters and settings, and answers each by the rules the test declared, the
 * newest matching rule first (a rule declared later overrides a default). Anything no rule answers
 * fails loudly, naming the SQL, and is kept in `unanswered`. Only what the activities call is
 * here: query (JSONEachRow), command, insert, close.
 */

export type CallKind = 'query' | 'command' | 'insert';

export interface RecordedCall {
  kind: CallKind;
  /** The SQL with its whitespace collapsed; an insert's is `INSERT INTO <table> FORMAT <format>`, as the client sends it. */
  sql: string;
  params: Record<string, unknown>;
  settings: ClickHouseSettings;
  format?: string;
  /** An insert's table and rows. */
  table?: string;
  values?: unknown[];
  /** The abort signal the caller passed (the backfill's inserts carry the activity's cancellation). */
  signal?: AbortSignal;
}

/** What a command or an insert answers: the summary ClickHouse sends in X-ClickHouse-Summary. */
export interface WriteAnswer {
  summary?: { read_rows?: string; written_rows?: string; result_rows?: string };
}

type Rows = Record<string, unknown>[];
/** A fixed answer, an Error to fail with, or a function of the call computing either (or a promise of one). */
export type Answer<T> = T | Error | ((call: RecordedCall) => T | Error | Promise<T | Error>);

/** Which calls a rule answers: the whole SQL (whitespace collapsed), a pattern, or a predicate. */
export type Match = string | RegExp | ((call: RecordedCall) => boolean);

interface Rule {
  kind: CallKind;
  match: Match;
  answer: Answer<unknown>;
}

/** The client's error for a request whose abort signal fired. */
const ABORTED = 'The user aborted a request.';

/** One SQL text as recorded and matched: whitespace runs collapsed, trimmed. */
export const collapse = (sql: string) => sql.replace(/\s+/g, ' ').trim();

/**
 * An error as the client raises it for a ClickHouse exception, parsed from the server's own text:
 * `clickHouseError(241, 'MEMORY_LIMIT_EXCEEDED', 'Memory limit (total) exceeded')`.
 */
export function clickHouseError(code: number, type: string, message: string): ClickHouseError {
  const error = parseError(`Code: ${code}. DB::Exception: ${message}. (${type}) (version 25.8.1.1 (official build))`);
  if (!(error instanceof ClickHouseError)) throw new Error(`not a ClickHouse error text: ${message}`);
  return error;
}

/** An answer that gives each of `answers` in turn, the last one from then on. */
export function inTurn<T>(...answers: Answer<T>[]): (call: RecordedCall) => Promise<T | Error> {
  let next = 0;
  return (call) => resolve(answers[Math.min(next++, answers.length - 1)], call);
}

async function resolve<T>(answer: Answer<T>, call: RecordedCall): Promise<T | Error> {
  return typeof answer === 'function'
    ? (answer as (call: RecordedCall) => T | Error | Promise<T | Error>)(call)
    : answer;
}

export class ScriptedClickHouse {
  /** Every call, in the order it was made, answered or not. */
  readonly calls: RecordedCall[] = [];
  /** Calls no rule answered (they failed); a test that expects none checks this is empty. */
  readonly unanswered: RecordedCall[] = [];
  /** How often close() was called. */
  closed = 0;
  private readonly rules: Rule[] = [];
  private queryIds = 0;

  /** The fake as the activities take it: the one place it is cast to the client it stands in for. */
  readonly client = {
    query: (params: QueryParams) => this.query(params),
    command: (params: CommandParams) => this.command(params),
    insert: (params: InsertParams) => this.insert(params),
    close: async () => {
      this.closed++;
    },
  } as unknown as ClickHouseClient;

  /** Answers matching queries (JSONEachRow) with these rows. */
  onQuery(match: Match, answer: Answer<Rows>): this {
    return this.on('query', match, answer);
  }

  /** Answers matching commands (DDL, ALTER, DELETE, INSERT … SELECT) with this summary; by default an empty one. */
  onCommand(match: Match, answer: Answer<WriteAnswer> = {}): this {
    return this.on('command', match, answer);
  }

  /** Answers inserts of rows into a table: `match` is tried against `INSERT INTO <table> FORMAT <format>`. */
  onInsert(match: Match, answer: Answer<WriteAnswer> = {}): this {
    return this.on('insert', match, answer);
  }

  get queries(): RecordedCall[] {
    return this.calls.filter((c) => c.kind === 'query');
  }

  get commands(): RecordedCall[] {
    return this.calls.filter((c) => c.kind === 'command');
  }

  get inserts(): RecordedCall[] {
    return this.calls.filter((c) => c.kind === 'insert');
  }

  /** The calls a rule would match: `ch.callsMatching(/^ALTER TABLE/)`. */
  callsMatching(match: Match): RecordedCall[] {
    return this.calls.filter((c) => matches(match, c));
  }

  private on(kind: CallKind, match: Match, answer: Answer<unknown>): this {
    this.rules.unshift({ kind, match, answer });
    return this;
  }

  private async query(params: QueryParams) {
    if (params.format !== 'JSONEachRow') {
      throw new Error(`ScriptedClickHouse answers JSONEachRow only, not ${params.format ?? 'JSON'}: ${params.query}`);
    }
    const rows = (await this.answer(this.record('query', params.query, params, { format: params.format }))) as Rows;
    if (!Array.isArray(rows)) {
      throw new Error(`ScriptedClickHouse: a query rule answered ${JSON.stringify(rows)}, not rows`);
    }
    const copy = structuredClone(rows);
    return {
      query_id: params.query_id ?? this.nextQueryId(),
      response_headers: {},
      json: async () => copy,
      text: async () => copy.map((row) => JSON.stringify(row)).join('\n'),
      close: () => undefined,
    };
  }

  private async command(params: CommandParams) {
    const answer = (await this.answer(this.record('command', params.query, params, {}))) as WriteAnswer;
    return { query_id: params.query_id ?? this.nextQueryId(), summary: answer.summary, response_headers: {} };
  }

  private async insert(params: InsertParams) {
    const format = params.format ?? 'JSONCompactEachRow';
    const values = Array.isArray(params.values) ? [...(params.values as unknown[])] : undefined;
    const call = this.record('insert', `INSERT INTO ${params.table} FORMAT ${format}`, params, {
      format,
      table: params.table,
      values,
    });
    const answer = (await this.answer(call)) as WriteAnswer;
    return {
      executed: true,
      query_id: params.query_id ?? this.nextQueryId(),
      summary: answer.summary,
      response_headers: {},
    };
  }

  private record(
    kind: CallKind,
    sql: string,
    params: {
      query_params?: Record<string, unknown>;
      clickhouse_settings?: ClickHouseSettings;
      abort_signal?: AbortSignal;
    },
    extra: Partial<RecordedCall>,
  ): RecordedCall {
    const call: RecordedCall = {
      kind,
      sql: collapse(sql),
      params: structuredClone(params.query_params ?? {}),
      settings: { ...params.clickhouse_settings },
      signal: params.abort_signal,
      ...extra,
    };
    this.calls.push(call);
    return call;
  }

  /** The matching rule's answer, raced with the call's abort signal as the client races its request. */
  private async answer(call: RecordedCall): Promise<unknown> {
    // Never answered in the caller's own tick: the real client always goes to the network first.
    await Promise.resolve();
    if (call.signal?.aborted) throw new Error(ABORTED);
    const rule = this.rules.find((r) => r.kind === call.kind && matches(r.match, call));
    if (!rule) {
      this.unanswered.push(call);
      throw new Error(
        `ScriptedClickHouse: no rule answers this ${call.kind}: ${call.sql} (params ${JSON.stringify(call.params)})`,
      );
    }
    const pending = resolve(rule.answer, call);
    const outcome = call.signal ? await raceAbort(pending, call.signal) : await pending;
    if (outcome instanceof Error) throw outcome;
    return outcome;
  }

  private nextQueryId(): string {
    this.queryIds++;
    return `scripted-${this.queryIds}`;
  }
}

function matches(match: Match, call: RecordedCall): boolean {
  if (typeof match === 'string') return collapse(match) === call.sql;
  if (match instanceof RegExp) return match.test(call.sql);
  return match(call);
}

function raceAbort<T>(pending: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolvePending, reject) => {
    const onAbort = () => reject(new Error(ABORTED));
    signal.addEventListener('abort', onAbort, { once: true });
    pending.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolvePending(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
