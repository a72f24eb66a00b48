import { randomBytes } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import { Client, Connection } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import { NativeConnection, Worker, bundleWorkflowCode } from '@temporalio/worker';
import Redis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userSessionsKey } from '@social-pulse/api/redis-repository';
import { createEraseUserActivities, sha256, type UserSurvey } from '@social-pulse/activities';
import { MIGRATIONS_DIR, createClickHouse, migrate, readMigrations } from '@social-pulse/clickhouse';
import { platform, startApi, type AppProcess } from '@social-pulse/testing';
import { eraseUserProgressQuery, eraseUserWorkflow, type EraseUserResult } from '@social-pulse/workflows';

/**
 * The erasure against the real ClickHouse, Redis, Kafka (read only: topic configs) and Temporal.
 * Two scratch databases get the project's migrations and the same generated history, one of them
 * without the erased user's rows; after the erasure every rollup of the first must equal the
 * second's, period by period. Redis is a logical database of the test's own, so the platform's
 * answers are not touched; the worker is one the test starts, on a task queue of its own. Two API
 * processes of the test's own read the two databases: after the erasure they answer the same.
 */
describe('user erasure', () => {
  const suffix = randomBytes(4).toString('hex');
  const withUser = `erase_test_${suffix}_with`;
  const without = `erase_test_${suffix}_without`;
  const USER = 'erase-me';
  const ANON = 'anon-x';
  const redisUrl = `${platform.redisUrl.replace(/\/\d*$/, '')}/13`;
  const admin = createClickHouse({ url: platform.clickhouseUrl });
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
  let ch: ClickHouseClient;
  const base = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 26 * 3_600_000);
  const baseParam = base.toISOString().slice(0, 19).replace('T', ' ');

  const rows = async <T>(query: string, params: Record<string, unknown> = {}) =>
    await (await admin.query({ query, format: 'JSONEachRow', query_params: params })).json<T>();

  /** The same history into a database; `dropUser` leaves out (or takes out of the reach) the erased user. */
  async function load(database: string, dropUser: boolean) {
    const client = createClickHouse({ url: platform.clickhouseUrl, database });
    await migrate(client, readMigrations(MIGRATIONS_DIR));
    const keepEvent = dropUser ? `WHERE NOT (user_id = '${USER}' OR (user_id = '' AND anonymous_id = '${ANON}'))` : '';
    const keepSession = dropUser ? `WHERE user_id NOT IN ('${USER}', 'a:${ANON}')` : '';
    const reach = dropUser ? `arrayFilter(v -> v NOT IN ('${USER}', 'a:${ANON}'), r)` : 'r';
    const queries = [
      // Every tenth event the user's own, some anonymous ones the user's linked id; 'keeper' shares the device.
      `INSERT INTO events (event_id, event_type, family, schema_version, user_id, anonymous_id, session_id, event_time,
         client_ts, received_at, device_type, os, browser, country, is_bot, page_path, referrer, properties, context)
       SELECT * FROM (SELECT generateUUIDv4() AS event_id, ['page.viewed', 'post.created', 'post.liked'][number % 3 + 1] AS event_type,
         'user' AS family, 2 AS schema_version,
         multiIf(number % 10 = 0, '${USER}', number % 10 = 1, '', number % 10 = 2, 'keeper', concat('u', toString(number % 37))) AS user_id,
         multiIf(number % 10 IN (0, 2), '${ANON}', number % 20 = 1, '${ANON}', concat('an', toString(number % 53))) AS anonymous_id,
         if(number % 7 = 0, '', concat('s', toString(number % 200))) AS session_id, t AS event_time, t AS client_ts, t AS received_at,
         ['desktop', 'mobile'][number % 2 + 1] AS device_type, 'linux' AS os, 'firefox' AS browser,
         ['DE', 'US', 'FR'][number % 3 + 1] AS country, false AS is_bot, '/' AS page_path, '' AS referrer, '{}' AS properties, '{}' AS context
       FROM (SELECT number, toDateTime64({base:String}, 3, 'UTC') + toIntervalMillisecond(number * 23100) AS t FROM numbers(4000)))
       ${keepEvent}`,
      `INSERT INTO sessions SELECT * FROM (SELECT
         multiIf(number % 10 = 0, '${USER}', number % 20 = 1, 'a:${ANON}', number % 10 = 2, 'keeper', concat('u', toString(number % 37))) AS user_id,
         generateUUIDv4() AS session_id, concat('s', toString(number)) AS client_session_id,
         toDateTime64({base:String}, 3, 'UTC') + toIntervalSecond(number * 300) AS session_start,
         session_start + toIntervalSecond(number % 900) AS session_end, (number % 900) * 1000 AS duration_ms,
         number % 20 + 1 AS events, number % 10 AS page_views, number % 5 AS distinct_pages, '/' AS entry_page, '/x' AS exit_page,
         number % 3 AS posts_created, number % 4 AS likes, number % 2 AS comments, 0 AS shares,
         ['desktop', 'mobile'][number % 2 + 1] AS device_type, 'linux' AS os, ['DE', 'US'][number % 2 + 1] AS country,
         number % 6 = 0 AS is_bounce, if(number % 4 = 3, 'active', 'sealed') AS status, 1 AS revision, 0 AS is_deleted
       FROM numbers(300)) ${keepSession}`,
      `INSERT INTO ad_performance_changes SELECT toStartOfMinute(toDateTime({base:String}, 'UTC') + toIntervalSecond(number * 170)),
         concat('c', toString(number % 3)), concat('ad', toString(number % 5)), ['desktop', 'mobile'][number % 2 + 1], 'linux', 'DE',
         '25-34', 'f', 'EUR', number % 4, number % 2, number % 2, number % 3 = 0, 0, 1000 * number, 500 * (number % 3 = 0), 0,
         ${reach}, now64(3)
       FROM (SELECT number, multiIf(number % 5 = 0, ['${USER}', concat('u', toString(number % 37))], number % 5 = 1, ['a:${ANON}'],
         number % 5 = 2, ['keeper', 'a:${ANON}', 'u1'], [concat('u', toString(number % 37))]) AS r FROM numbers(500))`,
      `INSERT INTO dead_letters (received_at, reason_code, reason, event_id, excerpt) VALUES
         (now64(3), 'event_type', 'unknown type', 'e1', '{"event_type":"x","user_id":"${USER}","anonymous_id":"${ANON}"}'),
         (now64(3), 'event_size', 'too large', 'e2', '{"event_type":"post.created","anonymous_id":"${ANON}","properties":{"text":"aaa')` +
        (dropUser ? '' : `,\n(now64(3), 'event_type', 'unknown type', 'e3', '{"event_type":"x","user_id":"keeper"}')`),
    ];
    for (const query of queries) await client.command({ query, query_params: { base: baseParam } });
    if (dropUser) {
      // Only the other users' dead letter: the erased user's two are gone after the erasure.
      await client.command({
        query: `INSERT INTO dead_letters (received_at, reason_code, reason, event_id, excerpt) VALUES
          (now64(3), 'event_type', 'unknown type', 'e3', '{"event_type":"x","user_id":"keeper"}')`,
      });
    }
    return client;
  }

  /** Per rollup target, every period and dimension with its merged measures, in key order. */
  async function rollups(database: string) {
    const targets = [
      ...['minute', 'hour', 'day'].flatMap((grain) => [
        `engagement_${grain}`,
        `session_${grain}`,
        `ad_performance_${grain}`,
      ]),
    ];
    const out: Record<string, unknown[]> = {};
    for (const target of targets) {
      const columns = await rows<{ name: string; type: string }>(
        'SELECT name, type FROM system.columns WHERE database = {db:String} AND table = {t:String} ORDER BY position',
        { db: database, t: target },
      );
      const keys = columns.filter((c) => !c.type.includes('AggregateFunction')).map((c) => c.name);
      const measures = columns
        .filter((c) => c.type.includes('AggregateFunction'))
        .map((c) =>
          c.type.startsWith('SimpleAggregateFunction(sum')
            ? `sum(${c.name}) AS ${c.name}`
            : c.type.startsWith('AggregateFunction(uniq')
              ? `uniqMerge(${c.name}) AS ${c.name}`
              : `arrayMap(x -> round(x, 6), quantilesTDigestMerge(0.5, 0.9, 0.99)(${c.name})) AS ${c.name}`,
        );
      out[target] = await rows(
        `SELECT toString(period) AS p, ${keys.filter((k) => k !== 'period').join(', ')}, ${measures.join(', ')} ` +
          `FROM ${database}.${target} GROUP BY ${keys.join(', ')} ORDER BY ${keys.join(', ')}`,
      );
    }
    return out;
  }

  const userRows = async (database: string) =>
    (
      await rows<Record<string, string>>(
        `SELECT
          (SELECT count() FROM ${database}.events WHERE user_id = '${USER}' OR (user_id = '' AND anonymous_id = '${ANON}')) AS events,
          (SELECT count() FROM ${database}.sessions WHERE user_id IN ('${USER}', 'a:${ANON}')) AS sessions,
          (SELECT count() FROM ${database}.dead_letters WHERE excerpt LIKE '%${USER}%' OR excerpt LIKE '%${ANON}%') AS dead_letters,
          (SELECT count() FROM ${database}.ad_performance_changes WHERE hasAny(reached, ['${USER}', 'a:${ANON}'])) AS ad_performance_changes`,
      )
    )[0];

  const numbers = (row: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)]));

  let activities: ReturnType<typeof createEraseUserActivities>;
  let keeperKey: string;

  // The API over each database, each with a Redis database of its own (its cache and last good copies).
  const apis: { withUser?: AppProcess; without?: AppProcess } = {};
  const otherRedisUrl = `${platform.redisUrl.replace(/\/\d*$/, '')}/12`;
  const requestedAt = new Date();
  const range = `from=${base.toISOString()}&to=${requestedAt.toISOString()}`;
  const ANSWERS = {
    sessions: `/v1/users/${USER}/sessions?${range}`,
    engagement: `/v1/engagement/summary?interval=hour&group_by=device&${range}`,
    ads: `/v1/ads/performance?interval=hour&${range}`,
  };
  /** Each answer's data (its envelope's times differ from run to run). */
  async function answers(api: AppProcess) {
    const out: Record<string, unknown> = {};
    for (const [name, path] of Object.entries(ANSWERS)) {
      const response = await fetch(`${api.url}${path}`, { headers: { 'X-API-Key': 'pulse-dev-admin-key' } });
      expect(response.status, `${name}: ${await response.clone().text()}`).toBe(200);
      out[name] = ((await response.json()) as { data: unknown }).data;
    }
    return out as { sessions: { sessions: unknown[] }; engagement: unknown; ads: unknown };
  }

  beforeAll(async () => {
    const loading = Date.now();
    await admin.command({ query: `CREATE DATABASE ${withUser}` });
    await admin.command({ query: `CREATE DATABASE ${without}` });
    ch = await load(withUser, false);
    await (await load(without, true)).close();
    console.info(`two scratch databases migrated and loaded in ${Date.now() - loading} ms`);
    activities = createEraseUserActivities({
      clickhouse: ch,
      migrationsDir: MIGRATIONS_DIR,
      redisUrl,
      kafkaBrokers: platform.kafkaBrokers,
      heartbeatMs: 500,
      settleMs: 200,
    });
    const window = { from: new Date(base), to: new Date(Date.now()), limit: 20 };
    keeperKey = userSessionsKey({ ...window, user_id: 'keeper' });
    await redis.set(userSessionsKey({ ...window, user_id: USER }), '{}');
    await redis.set(userSessionsKey({ ...window, limit: 50, user_id: USER }), '{}');
    await redis.set(keeperKey, '{}');
    await redis.set(`pulse:engagement:v1:summary:hour:-:${base.toISOString()}:x`, '{}');
    await redis.set('pulse:trending:v2:1m', '{}');
    [apis.withUser, apis.without] = await Promise.all([
      startApi({ CLICKHOUSE_URL: `${platform.clickhouseUrl}/${withUser}`, REDIS_URL: redisUrl }),
      startApi({ CLICKHOUSE_URL: `${platform.clickhouseUrl}/${without}`, REDIS_URL: otherRedisUrl }),
    ]);
  }, 90_000);
  afterAll(async () => {
    await Promise.all([apis.withUser?.stop(), apis.without?.stop()]);
    const other = new Redis(otherRedisUrl);
    await other.flushdb();
    other.disconnect();
    await admin.command({ query: `DROP DATABASE IF EXISTS ${withUser}` });
    await admin.command({ query: `DROP DATABASE IF EXISTS ${without}` });
    await redis.flushdb();
    redis.disconnect();
    await Promise.all([admin.close(), ch?.close()]);
  });

  it('should erase the user everywhere, leaving rollups equal to a history without them, once in the audit', async () => {
    // The test can fail: before the erasure, the rollups count the user.
    const before = await userRows(withUser);
    expect(Object.values(before).every((n) => Number(n) > 0)).toBe(true);
    const expected = await rollups(without);
    expect(await rollups(withUser)).not.toEqual(expected);
    // And the API answers with the user: their sessions, and totals that count them (now cached in Redis).
    const answersWithout = await answers(apis.without!);
    const answersBefore = await answers(apis.withUser!);
    expect(answersBefore.sessions.sessions.length).toBeGreaterThan(0);
    expect(answersBefore.engagement).not.toEqual(answersWithout.engagement);
    expect(answersBefore.ads).not.toEqual(answersWithout.ads);
    const cachedBefore = await redis.keys('*');
    expect(cachedBefore.filter((key) => key.startsWith('pulse:last-good:'))).toHaveLength(3);

    const survey: UserSurvey = await new MockActivityEnvironment().run(() =>
      activities.surveyUserData({ userId: USER, anonymousIds: [] }),
    );
    expect(survey.anonymousIds).toEqual([ANON]);
    expect(survey.views.filter((v) => v.periods > 0).map((v) => v.target)).toHaveLength(9);

    const taskQueue = `erase-test-${suffix}`;
    const connection = await NativeConnection.connect({ address: platform.temporalAddress });
    const clientConnection = await Connection.connect({ address: platform.temporalAddress });
    const client = new Client({ connection: clientConnection });
    const workflowBundle = await bundleWorkflowCode({ workflowsPath: require.resolve('@social-pulse/workflows') });
    const worker = await Worker.create({ connection, taskQueue, workflowBundle, activities });
    const workflowId = `erase-user-test-${suffix}`;
    const start = () =>
      client.workflow.start(eraseUserWorkflow, {
        taskQueue,
        workflowId,
        args: [{ userId: USER, requestedBy: 'integration test', reason: 'issue 14' }],
      });
    let first: EraseUserResult;
    let second: EraseUserResult;
    try {
      ({ first, second } = await worker.runUntil(async () => {
        const started = Date.now();
        const handle = await start();
        const result = await handle.result();
        const progress = await handle.query(eraseUserProgressQuery);
        expect(progress).toMatchObject({ stage: 'done', tables: { done: 4, total: 4 }, views: { done: 9, total: 9 } });
        console.info(
          `erasure ${Date.now() - started} ms: ${JSON.stringify(result.ms)}; removed ${JSON.stringify(result.removed)}`,
        );
        console.info(
          result.recomputed.map((r) => `${r.target} ${r.periods} periods/${r.ranges} ranges ${r.ms} ms`).join('; '),
        );
        // The same erasure again (same workflow id, so the same erasure id): finds nothing, adds nothing.
        const again = await (await start()).result();
        return { first: result, second: again };
      }));
    } finally {
      await connection.close();
      await clientConnection.close();
    }

    // (a) The user's rows are gone from every table.
    expect(numbers(await userRows(withUser))).toEqual({
      events: 0,
      sessions: 0,
      dead_letters: 0,
      ad_performance_changes: 0,
    });
    expect(first.removed).toEqual({
      events: Number(before.events),
      sessions: Number(before.sessions),
      dead_letters: 2,
      ad_performance_changes: Number(before.ad_performance_changes),
    });
    expect(Object.values(first.remaining).every((n) => n === 0)).toBe(true);
    // 'keeper' shares the anonymous id's device: their rows stay.
    const [{ keeper }] = await rows<{ keeper: string }>(
      `SELECT count() AS keeper FROM ${withUser}.events WHERE user_id = 'keeper'`,
    );
    expect(Number(keeper)).toBe(400);

    // (b) Every rollup equals the rollup of the same history without the user, period by period.
    expect(await rollups(withUser)).toEqual(expected);

    // (c) The user's Redis answers, the summaries and their last good copies are gone; other users'
    // and trending stay.
    expect((await redis.keys('*')).sort()).toEqual([keeperKey, 'pulse:trending:v2:1m'].sort());
    // (The API's own answers expire on their TTLs too; their last good copies outlive them.)
    const lastGoodDeleted = first.redisKeys.patterns
      .filter(({ pattern }) => pattern.startsWith('pulse:last-good:'))
      .reduce((sum, { deleted }) => sum + deleted, 0);
    expect(lastGoodDeleted).toBe(3);
    expect(first.redisKeys.deleted).toBeGreaterThanOrEqual(3 + 3);

    // (d) One audit row for the erasure, though the workflow ran twice and the write is repeated.
    const record = {
      erasureId: first.erasureId,
      runId: 'repeat',
      userIdSha256: sha256(USER),
      requestedBy: 'integration test',
      reason: 'issue 14',
      startedAt: first.startedAt,
      finishedAt: first.finishedAt,
      anonymousIds: 1,
      removed: {},
      recomputedPeriods: {},
      redisKeys: 0,
      kafkaAgesOutAt: first.kafka.agesOutAt,
      flinkStateAgesOutAt: first.flinkState.agesOutAt,
      details: {},
    };
    const env = new MockActivityEnvironment();
    expect(await env.run(() => activities.recordUserErasure(record))).toEqual({ written: true });
    expect(await env.run(() => activities.recordUserErasure(record))).toEqual({ written: false });
    const audit = await rows<Record<string, unknown>>(
      `SELECT erasure_id, user_id_sha256, requested_by, removed, length(run_ids) AS runs FROM ${withUser}.user_erasures FINAL`,
    );
    for (const row of audit) {
      row.removed = numbers(row.removed as Record<string, unknown>);
      row.runs = Number(row.runs);
    }
    expect(audit).toEqual([
      {
        erasure_id: workflowId,
        user_id_sha256: sha256(USER),
        requested_by: 'integration test',
        removed: first.removed,
        runs: 3,
      },
    ]);
    expect(second.removed).toEqual({ events: 0, sessions: 0, dead_letters: 0, ad_performance_changes: 0 });
    expect(second.recomputed).toEqual([]);
    expect(first.kafka.topics.map((t) => t.topic).sort()).toEqual([
      'ad-events',
      'content-events',
      'events-dlq',
      'user-events',
    ]);
    expect(first.kafka.agesOutAt).not.toBeNull();

    // A repeated recompute of the same ranges finds them equal and changes nothing.
    const hour = survey.views.find((v) => v.view === 'engagement_hour_mv')!;
    const repeat = await new MockActivityEnvironment().run(() =>
      activities.recomputeUserPeriods({ erasureId: first.erasureId, view: hour.view, ranges: hour.ranges }),
    );
    expect(repeat).toMatchObject({ alreadyEqual: hour.ranges.length, rounds: 0 });
    expect(await rollups(withUser)).toEqual(expected);

    // (e) The API answers as it does over the history without the user: no sessions, the same totals.
    const answersAfter = await answers(apis.withUser!);
    expect(answersAfter.sessions.sessions).toEqual([]);
    expect(answersAfter.engagement).toEqual(answersWithout.engagement);
    expect(answersAfter.ads).toEqual(answersWithout.ads);
  }, 120_000);
});
