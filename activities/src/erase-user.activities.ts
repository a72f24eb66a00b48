import { createHash } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import { ApplicationFailure, Context } from '@temporalio/activity';
import Redis from 'ioredis';
import { ConfigResourceTypes, logLevel } from 'kafkajs';
import {
  adsCampaignsKey,
  adsPerformanceKey,
  engagementSummaryKey,
  lastGoodKey,
  liveEngagementKey,
  userSessionsKey,
  type AnswerKey,
} from '@social-pulse/api/redis-repository';
import { readMigrations } from '@social-pulse/clickhouse';
import { createKafka } from '@social-pulse/kafka';
import { TOPICS } from '@social-pulse/shared';
import {
  ERASURE_TABLES,
  WAIT_FOR_MUTATION,
  countUserRowsSql,
  erasureViews,
  eraseSql,
  globLiteral,
  linkedAnonymousIdsSql,
  planRanges,
  rangeCompareSql,
  rangeDeleteSql,
  rangeInsertSql,
  recomputeHorizon,
  recomputeMarker,
  recomputeToken,
  sourceTtlDays,
  userParams,
  userPeriodsSql,
  type ErasureTable,
  type ErasureView,
  type PeriodRange,
} from './erase-user.sql';
import { chunkInsertSettings, instantParam, measuresOf, type TargetColumn } from './view-backfill.sql';

export type { ErasureTable, PeriodRange } from './erase-user.sql';

export interface EraseUserDeps {
  clickhouse: ClickHouseClient;
  /** Where the views' definitions are read from: clickhouse/migrations (MIGRATIONS_DIR). */
  migrationsDir: string;
  redisUrl: string;
  /** Opens the Redis connection of one dropUserRedisKeys, disconnected when it ends (tests pass a fake); default: redisUrl. */
  openRedis?: () => ErasureRedis;
  kafkaBrokers: string[];
  /** Heartbeat interval while a query runs, and the pause before a difference is read again (tests shorten them). */
  heartbeatMs?: number;
  settleMs?: number;
}

/** The Redis commands the erasure sends: SCAN and UNLINK, never KEYS. */
export type ErasureRedis = Pick<Redis, 'scan' | 'unlink' | 'disconnect' | 'on'>;

/** What the user has, found before anything is removed (the workflow keeps it in its history). */
export interface UserSurvey {
  /** SHA-256 of the user id, hex: what the audit keeps. */
  userIdSha256: string;
  /** The anonymous ids linked to the user: found in the user's events, and those the input named. */
  anonymousIds: string[];
  /** Rows per table that hold the user (ad changes: rows whose reach names the user), in erasure order. */
  rows: { table: ErasureTable; rows: number }[];
  views: ViewSurvey[];
}

export interface ViewSurvey {
  view: string;
  target: string;
  source: string;
  periodMs: number;
  /** Periods the user's rows fell in that can be recomputed, as ranges to recompute. */
  periods: number;
  ranges: PeriodRange[];
  /** Periods older than the source keeps whole: the source cannot rebuild them; they keep the user's count. */
  skippedPeriods: number;
  /** The first recomputable instant (ISO). */
  horizon: string;
}

export interface EraseResult {
  table: ErasureTable;
  /** Rows that held the user before this attempt (0 on a retry after the delete landed). */
  before: number;
  /** Rows holding the user after: 0, or rows that arrived while it ran (then the workflow says so). */
  remaining: number;
  rounds: number;
  ms: number;
}

export interface RecomputeResult {
  view: string;
  target: string;
  /** The index of the last range now recomputed. */
  lastFinished: number;
  ranges: number;
  periods: number;
  /** Ranges found already equal to the source (a retry after they were done). */
  alreadyEqual: number;
  /** Delete-and-refill rounds run; more than the ranges when live rows raced one. */
  rounds: number;
  resumedAfter: number | null;
  ms: number;
}

export interface RedisErasure {
  deleted: number;
  patterns: { pattern: string; deleted: number }[];
}

export interface TopicRetention {
  topic: string;
  /** -1: kept forever. */
  retentionMs: number;
  segmentMs: number;
}

/** What the audit table records of one run of an erasure. */
export interface ErasureRecord {
  erasureId: string;
  runId: string;
  userIdSha256: string;
  requestedBy: string;
  reason: string;
  startedAt: string;
  finishedAt: string;
  anonymousIds: number;
  removed: Record<string, number>;
  recomputedPeriods: Record<string, number>;
  redisKeys: number;
  kafkaAgesOutAt: string | null;
  flinkStateAgesOutAt: string;
  details: unknown;
}

/** The failure type of a range that stayed different from its source after every round. */
export const RECOMPUTE_MISMATCH = 'RecomputeMismatch';
/** Rounds of delete-and-refill per range and attempt before the attempt fails (and is retried). */
const ROUNDS = 3;

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The Redis key patterns of the answers that hold or counted a user, made from the API's own key functions. */
export function userAnswerPatterns(userId: string): string[] {
  const epoch = new Date(0);
  const prefix = (key: string, segment: string) => {
    const at = key.indexOf(segment);
    if (at < 0) throw new Error(`the key ${key} has no ${segment}`);
    return globLiteral(key.slice(0, at + segment.length));
  };
  const sessions = userSessionsKey({ from: epoch, to: epoch, limit: 1, user_id: '' });
  const summary = engagementSummaryKey({ interval: 'hour', from: epoch, to: epoch } as never);
  const performance = adsPerformanceKey({ interval: 'hour', group_by: [], from: epoch, to: epoch } as never);
  const campaigns = adsCampaignsKey({ grain: 'hour', from: epoch, to: epoch, limit: 1 } as never);
  const answers = [
    // The user's own answers: the encoded user id is the key's last field.
    `${prefix(sessions, ':user-sessions:')}*:${globLiteral(encodeURIComponent(userId))}`,
    // Answers over everyone that counted the user: deleted, the API computes them again on the next request.
    `${prefix(summary, ':summary:')}*`,
    globLiteral(liveEngagementKey()),
    `${prefix(performance, ':performance:')}*`,
    `${prefix(campaigns, ':campaigns:')}*`,
  ];
  // And their last good copies, which the API would serve (stale) while ClickHouse is down.
  const lastGood = globLiteral(lastGoodKey('' as AnswerKey));
  return [...answers, ...answers.map((pattern) => `${lastGood}${pattern}`)];
}

/**
 * Activities of the user erasure: each a step that can be repeated without harm (the workflow
 * repeats any of them after a worker dies), each long one heartbeating.
 */
export function createEraseUserActivities(deps: EraseUserDeps) {
  const ch = deps.clickhouse;
  const heartbeatMs = deps.heartbeatMs ?? 5_000;
  const settleMs = deps.settleMs ?? 1_000;
  const views = (): ErasureView[] => erasureViews(readMigrations(deps.migrationsDir).flatMap((m) => m.statements));
  const viewOf = (name: string) => {
    const view = views().find((v) => v.view === name);
    if (!view) throw ApplicationFailure.nonRetryable(`${name} is not a materialized view over the erasure's sources`);
    return view;
  };
  const rows = async <T>(query: string, params: Record<string, unknown> = {}): Promise<T[]> =>
    (await ch.query({ query, format: 'JSONEachRow', query_params: params })).json<T>();
  const serverNow = async () =>
    Date.parse(`${(await rows<{ now: string }>(`SELECT toString(now64(3, 'UTC')) AS now`))[0].now.replace(' ', 'T')}Z`);
  /** Runs `fn`, heartbeating `detail()` meanwhile: a long delete or insert does not look like a dead worker. */
  const beating = async <T>(detail: () => unknown, fn: () => Promise<T>): Promise<T> => {
    const beat = setInterval(() => Context.current().heartbeat(detail()), heartbeatMs);
    try {
      return await fn();
    } finally {
      clearInterval(beat);
    }
  };
  const countUser = async (t: ErasureTable, params: Record<string, unknown>) =>
    Number((await rows<{ rows: string }>(countUserRowsSql(t), params))[0].rows);

  return {
    /**
     * Finds what the user has, reading only: the anonymous ids linked to them, their rows per table,
     * and per rollup view the periods their rows fell in, as ranges to recompute. Periods older than
     * what the source keeps whole are counted and left out: rebuilding them from the source would
     * drop the other users' rows the TTL already removed.
     */
    async surveyUserData(input: { userId: string; anonymousIds: string[] }): Promise<UserSurvey> {
      return beating(
        () => 'surveying',
        async () => {
          const [found] = await rows<{ ids: string[] }>(linkedAnonymousIdsSql, { userId: input.userId });
          const anonymousIds = [...new Set([...found.ids, ...input.anonymousIds])].sort();
          const params = userParams(input.userId, anonymousIds);
          const counts: UserSurvey['rows'] = [];
          for (const t of ERASURE_TABLES) counts.push({ table: t, rows: await countUser(t, params) });
          const now = await serverNow();
          const surveyed: ViewSurvey[] = [];
          for (const view of views()) {
            const [info] = await rows<{ create_table_query: string }>(
              'SELECT create_table_query FROM system.tables WHERE database = currentDatabase() AND name = {name:String}',
              { name: view.source },
            );
            const horizon = recomputeHorizon(
              now,
              info ? sourceTtlDays(info.create_table_query, view.timeColumn) : null,
            );
            const periods = (
              await rows<{ period: string }>(userPeriodsSql(view, view.source as ErasureTable), params)
            ).map((r) => r.period);
            const kept = periods.filter((p) => Date.parse(`${p.replace(' ', 'T')}Z`) >= horizon);
            const ranges = planRanges(kept, view.periodMs);
            surveyed.push({
              view: view.view,
              target: view.target,
              source: view.source,
              periodMs: view.periodMs,
              periods: kept.length,
              ranges,
              skippedPeriods: periods.length - kept.length,
              horizon: new Date(horizon).toISOString(),
            });
          }
          return { userIdSha256: sha256(input.userId), anonymousIds, rows: counts, views: surveyed };
        },
      );
    },

    /**
     * Removes the user from one table and waits until it is applied; then counts again. Rows that
     * arrived meanwhile (events still in flight) are removed in another round, up to three. A retry
     * after the delete landed finds nothing and removes nothing.
     */
    async eraseUserRows(input: { table: ErasureTable; userId: string; anonymousIds: string[] }): Promise<EraseResult> {
      if (!(ERASURE_TABLES as readonly string[]).includes(input.table)) {
        throw ApplicationFailure.nonRetryable(`${input.table} is not a table the erasure knows`);
      }
      const params = userParams(input.userId, input.anonymousIds);
      const started = Date.now();
      const before = await countUser(input.table, params);
      let remaining = before;
      let rounds = 0;
      while (remaining > 0 && rounds < ROUNDS) {
        rounds++;
        await beating(
          () => ({ table: input.table, round: rounds }),
          () =>
            ch.command({
              query: eraseSql(input.table),
              query_params: params,
              clickhouse_settings: WAIT_FOR_MUTATION,
            }),
        );
        remaining = await countUser(input.table, params);
      }
      return { table: input.table, before, remaining, rounds, ms: Date.now() - started };
    },

    /**
     * Recomputes a rollup's periods from the (user-free) source, range by range: each range's
     * target rows are deleted and refilled with the view's own SELECT over the source rows of those
     * periods, then compared with the source (sums and uniq states; t-digests are rebuilt but not
     * compared, their merge depends on order). A live row that landed between the delete and the
     * refill's read is counted twice and shows as a difference: the round is done again. A range
     * already equal to its source (done by an earlier attempt) is left alone, so a retry neither
     * repeats nor loses a refill; a retry first waits until the refill an abandoned attempt left
     * running on the server has ended. Heartbeats the last finished range; a retry resumes after it.
     */
    async recomputeUserPeriods(input: {
      erasureId: string;
      view: string;
      ranges: PeriodRange[];
    }): Promise<RecomputeResult> {
      const view = viewOf(input.view);
      const context = Context.current();
      const beat = context.info.heartbeatDetails as { lastFinished?: number } | undefined;
      const resumedAfter = typeof beat?.lastFinished === 'number' ? beat.lastFinished : null;
      const marker = recomputeMarker(input.erasureId, view.view);
      if (context.info.attempt > 1) await waitForAbandoned(marker);
      const columns = await rows<TargetColumn>(
        'SELECT name, type FROM system.columns WHERE database = currentDatabase() AND table = {table:String} ORDER BY position',
        { table: view.target },
      );
      const compare = rangeCompareSql(view, measuresOf(columns));
      const differing = async (params: Record<string, string>) =>
        Number((await rows<{ mismatched: string }>(compare, params))[0].mismatched);
      const started = Date.now();
      const result: RecomputeResult = {
        view: input.view,
        target: view.target,
        lastFinished: resumedAfter ?? -1,
        ranges: 0,
        periods: 0,
        alreadyEqual: 0,
        rounds: 0,
        resumedAfter,
        ms: 0,
      };
      for (const [index, range] of input.ranges.entries()) {
        if (resumedAfter !== null && index <= resumedAfter) continue;
        const params = { from: instantParam(range.from), to: instantParam(range.to) };
        if ((await differing(params)) === 0) result.alreadyEqual++;
        else {
          let done = false;
          for (let round = 1; round <= ROUNDS && !done; round++) {
            result.rounds++;
            await beating(
              () => ({ lastFinished: result.lastFinished }),
              async () => {
                await ch.command({
                  query: rangeDeleteSql(view),
                  query_params: params,
                  clickhouse_settings: WAIT_FOR_MUTATION,
                });
                await ch.command({
                  query: rangeInsertSql(view, marker),
                  query_params: params,
                  clickhouse_settings: chunkInsertSettings(
                    recomputeToken(input.erasureId, view.view, range, `${context.info.attempt}.${round}`),
                  ),
                });
              },
            );
            // Live writes land in the source a moment before the target: a difference is read again once.
            done = (await differing(params)) === 0;
            if (!done) {
              await context.sleep(settleMs);
              done = (await differing(params)) === 0;
            }
          }
          if (!done) {
            throw ApplicationFailure.create({
              type: RECOMPUTE_MISMATCH,
              message: `${view.target} ${range.from}–${range.to} still differs from ${view.source} after ${ROUNDS} rounds`,
            });
          }
        }
        result.ranges++;
        result.periods += range.periods;
        result.lastFinished = index;
        context.heartbeat({ lastFinished: index });
      }
      result.ms = Date.now() - started;
      return result;

      async function waitForAbandoned(text: string) {
        for (let i = 0; i < 600; i++) {
          const [{ running }] = await rows<{ running: string }>(
            'SELECT count() AS running FROM system.processes WHERE position(query, {marker:String}) > 0',
            { marker: text },
          );
          if (Number(running) === 0) return;
          context.heartbeat(beat);
          await context.sleep(500);
        }
        throw ApplicationFailure.retryable(`an earlier refill of ${text} is still running`);
      }
    },

    /**
     * Deletes the Redis keys of the user's own answers (user sessions: SCAN with a MATCH on the
     * encoded user id, never KEYS) and the pre-computed answers that counted them (engagement and
     * ads summaries): the API computes a cold key again, from the recomputed rollups.
     */
    async dropUserRedisKeys(input: { userId: string }): Promise<RedisErasure> {
      const result: RedisErasure = { deleted: 0, patterns: [] };
      const redis = deps.openRedis?.() ?? new Redis(deps.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 });
      redis.on('error', () => undefined);
      try {
        for (const pattern of userAnswerPatterns(input.userId)) {
          let deleted = 0;
          let cursor = '0';
          do {
            const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
            cursor = next;
            if (keys.length > 0) deleted += await redis.unlink(...keys);
          } while (cursor !== '0');
          result.patterns.push({ pattern, deleted });
          result.deleted += deleted;
        }
        return result;
      } finally {
        redis.disconnect();
      }
    },

    /** Retention and segment roll time of the platform's topics, from the brokers (describeConfigs). */
    async readTopicRetention(): Promise<TopicRetention[]> {
      const admin = createKafka('pulse-worker-erasure', deps.kafkaBrokers, { logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      try {
        const described = await admin.describeConfigs({
          includeSynonyms: false,
          resources: Object.values(TOPICS).map((name) => ({
            type: ConfigResourceTypes.TOPIC,
            name,
            configNames: ['retention.ms', 'segment.ms'],
          })),
        });
        return described.resources.map((r) => {
          const value = (name: string) =>
            Number(r.configEntries.find((e) => e.configName === name)?.configValue ?? NaN);
          return { topic: r.resourceName, retentionMs: value('retention.ms'), segmentMs: value('segment.ms') };
        });
      } finally {
        await admin.disconnect();
      }
    },

    /**
     * Writes the erasure's audit row. Idempotent: a repeat of this run's write (same run id) changes
     * nothing, and its insert carries a token of (erasure, run); a later run of the same erasure id
     * adds its counts to the row, keeps the first start and takes its own finish.
     */
    async recordUserErasure(record: ErasureRecord): Promise<{ written: boolean }> {
      const audit = 'user_erasures';
      const [existing] = await rows<{
        run_ids: string[];
        started_at: string;
        removed: Record<string, string>;
        recomputed_periods: Record<string, string>;
        redis_keys: string;
        anonymous_ids: string;
        updated_at: string;
      }>(
        `SELECT run_ids, toString(started_at) AS started_at, removed, recomputed_periods, redis_keys, anonymous_ids, ` +
          `toString(updated_at) AS updated_at ` +
          `FROM ${audit} FINAL WHERE erasure_id = {id:String}`,
        { id: record.erasureId },
      );
      if (existing?.run_ids.includes(record.runId)) return { written: false };
      const add = (a: Record<string, number>, b: Record<string, string> | undefined) => {
        const sum: Record<string, number> = { ...a };
        for (const [k, v] of Object.entries(b ?? {})) sum[k] = (sum[k] ?? 0) + Number(v);
        return sum;
      };
      const dt = (iso: string) => instantParam(iso);
      // The version: later than the row it replaces, whatever the clocks (FINAL keeps the greatest).
      const after = existing ? Date.parse(`${existing.updated_at.replace(' ', 'T')}Z`) + 1 : 0;
      const updatedAt = new Date(Math.max(Date.now(), after)).toISOString();
      const startedAt =
        existing && existing.started_at < dt(record.startedAt) ? existing.started_at : dt(record.startedAt);
      await ch.insert({
        table: audit,
        format: 'JSONEachRow',
        values: [
          {
            erasure_id: record.erasureId,
            user_id_sha256: record.userIdSha256,
            requested_by: record.requestedBy,
            reason: record.reason,
            started_at: startedAt,
            finished_at: dt(record.finishedAt),
            anonymous_ids: Math.max(record.anonymousIds, Number(existing?.anonymous_ids ?? 0)),
            removed: add(record.removed, existing?.removed),
            recomputed_periods: add(record.recomputedPeriods, existing?.recomputed_periods),
            redis_keys: record.redisKeys + Number(existing?.redis_keys ?? 0),
            kafka_ages_out_at: record.kafkaAgesOutAt === null ? null : dt(record.kafkaAgesOutAt),
            flink_state_ages_out_at: dt(record.flinkStateAgesOutAt),
            run_ids: [...(existing?.run_ids ?? []), record.runId],
            details: JSON.stringify(record.details),
            updated_at: dt(updatedAt),
          },
        ],
        clickhouse_settings: { insert_deduplication_token: `erasure-audit:${record.erasureId}:${record.runId}` },
      });
      return { written: true };
    },
  };
}

export type EraseUserActivities = ReturnType<typeof createEraseUserActivities>;
