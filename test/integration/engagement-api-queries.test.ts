import { randomUUID } from 'node:crypto';
import { ClickHouseRepository } from '@social-pulse/api/clickhouse-repository';
import { loadApiConfig } from '@social-pulse/api/config';
import {
  canarySessionsStatement,
  engagementSummaryStatement,
  liveEngagementStatement,
  sessionSummaryStatement,
  userSessionsStatement,
  type ClickHouseStatement,
} from '@social-pulse/api/engagement-queries';
import { MIGRATIONS_DIR, createClickHouse, migrate, readMigrations } from '@social-pulse/clickhouse';
import { explainedReads, platform } from '@social-pulse/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The project's migrations in a database of this test's own, filled through the real ingestion
 * path of each table (events into the archive, whose views keep engagement_*; session reports into
 * `sessions`, whose views keep session_* from the sealed ones), read by the API's own repository:
 * the right numbers, sealed and unsealed sessions each counted once, tombstones hidden, and every
 * statement reading fewer parts and granules than its tables hold (EXPLAIN indexes = 1).
 */
describe('engagement API queries', () => {
  const database = `engagement_api_${Date.now()}`;
  const admin = createClickHouse({ url: platform.clickhouseUrl });
  const client = createClickHouse({ url: platform.clickhouseUrl, database });
  const databaseUrl = new URL(platform.clickhouseUrl);
  databaseUrl.pathname = `/${database}`;
  const repository = new ClickHouseRepository(loadApiConfig({ CLICKHOUSE_URL: databaseUrl.toString() }));

  const MINUTE = 60_000;
  const HOUR = 60 * MINUTE;
  const DAY = 24 * HOUR;
  // Times relative to now, within every table's TTL (minutes 14 days, sessions 180 days): the
  // recent hour H holds sessions not sealed yet; earlier days hold sealed ones only.
  const NOW = Date.now();
  const TODAY = Math.floor(NOW / DAY) * DAY;
  const H = Math.floor(NOW / HOUR) * HOUR - 2 * HOUR;
  const noonOf = (daysAgo: number) => TODAY - daysAgo * DAY + 12 * HOUR;
  const text = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
  const seconds = (ms: number) => text(ms).slice(0, 19);

  const event = (
    at: number,
    user: string,
    type: string,
    device: string,
    os: string,
    country: string,
    session: string,
  ) => ({
    event_id: randomUUID(),
    event_type: type,
    family: type === 'page_view' ? 'user' : 'content',
    schema_version: 1,
    user_id: user.startsWith('a:') ? '' : user,
    anonymous_id: user.startsWith('a:') ? user.slice(2) : '',
    session_id: session,
    event_time: text(at),
    client_ts: text(at),
    received_at: text(at),
    device_type: device,
    os,
    browser: 'firefox',
    country,
    is_bot: false,
    page_path: '/',
    referrer: '',
    properties: '{}',
    context: '{}',
  });

  interface Session {
    user_id: string;
    session_id: string;
    client_session_id: string;
    start: number;
    end: number;
    events: number;
    page_views: number;
    device: [string, string, string];
    status: 'active' | 'closed' | 'sealed';
    revision: number;
    is_deleted?: 1;
    likes?: number;
  }
  const sessionRow = (s: Session) => ({
    user_id: s.user_id,
    session_id: s.session_id,
    client_session_id: s.client_session_id,
    session_start: text(s.start),
    session_end: text(s.end),
    duration_ms: s.end - s.start,
    events: s.events,
    page_views: s.page_views,
    distinct_pages: Math.min(s.page_views, 2),
    entry_page: '/home',
    exit_page: s.page_views > 1 ? '/feed' : '/home',
    posts_created: 0,
    likes: s.likes ?? 0,
    comments: 0,
    shares: 0,
    device_type: s.device[0],
    os: s.device[1],
    country: s.device[2],
    is_bounce: s.page_views === 1 && s.events === 1,
    status: s.status,
    revision: s.revision,
    is_deleted: s.is_deleted ?? 0,
  });

  const MOBILE_IOS: Session['device'] = ['mobile', 'ios', 'DE'];
  const MOBILE_ANDROID: Session['device'] = ['mobile', 'android', 'DE'];
  const DESKTOP: Session['device'] = ['desktop', 'linux', 'FR'];
  const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

  // Hour H: S1 sealed (its earlier active report is still in another part), S3 sealed, S2 closed
  // and S4 active (unsealed: read from `sessions`), S4's first report withdrawn by a tombstone.
  const S1 = { user_id: 'u1', session_id: id(1), client_session_id: 'c1', start: H + 5_000, device: MOBILE_IOS };
  const S4 = { user_id: 'u3', session_id: id(4), client_session_id: 'c4', device: DESKTOP };
  const recentSessions: Session[][] = [
    [{ ...S1, end: H + 20_000, events: 2, page_views: 1, status: 'active', revision: 1 }],
    [{ ...S1, end: H + 70_000, events: 3, page_views: 2, likes: 1, status: 'sealed', revision: 5 }],
    [
      {
        user_id: 'u2',
        session_id: id(2),
        client_session_id: 'c2',
        start: H + 30_000,
        end: H + 30_000,
        events: 1,
        page_views: 1,
        device: DESKTOP,
        status: 'closed',
        revision: 3,
      },
      {
        user_id: 'a:x',
        session_id: id(3),
        client_session_id: 'c3',
        start: H + 40_000,
        end: H + 40_000,
        events: 1,
        page_views: 1,
        device: MOBILE_ANDROID,
        status: 'sealed',
        revision: 2,
      },
    ],
    [{ ...S4, start: H + 50_000, end: H + 50_000, events: 1, page_views: 1, status: 'active', revision: 1 }],
    [
      {
        ...S4,
        start: H + 50_000,
        end: H + 50_000,
        events: 0,
        page_views: 0,
        status: 'active',
        revision: 2,
        is_deleted: 1,
      },
      { ...S4, start: H + 38_000, end: H + 50_000, events: 2, page_views: 2, status: 'active', revision: 3 },
    ],
  ];
  // The canary's sessions (visitor CANARY: and its marker) in hour H, one sealed and one active: the
  // jobs write them like any other, and no number below counts them (the session views and the
  // unsealed side leave them out). The canary's events are never archived, so no event goes with them.
  const canarySessions: Session[] = [
    {
      user_id: 'CANARY:canary-h1',
      session_id: id(6),
      client_session_id: '',
      start: H + 45_000,
      end: H + 45_000,
      events: 1,
      page_views: 1,
      device: DESKTOP,
      status: 'sealed',
      revision: 3,
    },
    {
      user_id: 'CANARY:canary-h2',
      session_id: id(7),
      client_session_id: '',
      start: H + 46_000,
      end: H + 46_000,
      events: 1,
      page_views: 1,
      device: MOBILE_IOS,
      status: 'active',
      revision: 1,
    },
  ];
  const recentEvents = [
    event(H + 5_000, 'u1', 'page_view', ...MOBILE_IOS, 'c1'),
    event(H + 20_000, 'u1', 'like', ...MOBILE_IOS, 'c1'),
    event(H + 30_000, 'u2', 'page_view', ...DESKTOP, 'c2'),
    event(H + 38_000, 'u3', 'page_view', ...DESKTOP, 'c4'),
    event(H + 40_000, 'a:x', 'page_view', ...MOBILE_ANDROID, 'c3'),
    event(H + 50_000, 'u3', 'page_view', ...DESKTOP, 'c4'),
    event(H + 70_000, 'u1', 'page_view', ...MOBILE_IOS, 'c1'),
  ];

  // Earlier days: one sealed session and its two events a day, at noon; 40 days ago, another month.
  const DAYS_AGO = [3, 2, 1, 40];
  const dailySessions: Session[] = DAYS_AGO.map((daysAgo, i) => ({
    user_id: daysAgo === 2 ? 'u2' : 'u1',
    session_id: id(10 + daysAgo),
    client_session_id: `day-${daysAgo}`,
    start: noonOf(daysAgo),
    end: noonOf(daysAgo) + (i + 1) * MINUTE,
    events: 2,
    page_views: 2,
    device: MOBILE_IOS,
    status: 'sealed',
    revision: 4,
  }));
  const dailyEvents = dailySessions.flatMap((s) => [
    event(s.start, s.user_id, 'page_view', ...s.device, s.client_session_id),
    event(s.end, s.user_id, 'page_view', ...s.device, s.client_session_id),
  ]);
  // A session of u1 withdrawn whole, two days ago: never listed.
  const withdrawn: Session[] = [
    {
      user_id: 'u1',
      session_id: id(99),
      client_session_id: 'gone',
      start: noonOf(2) + HOUR,
      end: noonOf(2) + HOUR,
      events: 1,
      page_views: 1,
      device: MOBILE_IOS,
      status: 'closed',
      revision: 1,
    },
  ];

  // Now: u1 in two sessions and u5 in one, in progress; u6's closed, u8's sealed, u9's withdrawn, and
  // u10's still reported active but silent for two hours (a stopped job's leftover).
  const live = (
    user: string,
    n: number,
    start: number,
    end: number,
    status: Session['status'],
    revision = 1,
    is_deleted?: 1,
  ): Session => ({
    user_id: user,
    session_id: id(n),
    client_session_id: `live-${n}`,
    start,
    end,
    events: 3,
    page_views: 2,
    device: MOBILE_IOS,
    status,
    revision,
    is_deleted,
  });
  const liveSessions: Session[][] = [
    [
      live('u1', 50, NOW - 10 * MINUTE, NOW - 5_000, 'active'),
      live('u1', 51, NOW - 2 * MINUTE, NOW - 1_000, 'active'),
      live('u5', 52, NOW - 3 * MINUTE, NOW - 30_000, 'active'),
      live('u6', 53, NOW - 60 * MINUTE, NOW - 40 * MINUTE, 'closed'),
      live('u8', 54, NOW - 50 * MINUTE, NOW - 45 * MINUTE, 'active'),
      live('u9', 55, NOW - 4 * MINUTE, NOW - 4 * MINUTE, 'active'),
      live('u10', 56, NOW - 3 * HOUR, NOW - 2 * HOUR, 'active'),
      // The canary's session in progress: not live for the dashboard, listed for the canary.
      live('CANARY:canary-1', 57, NOW - 30_000, NOW - 30_000, 'active'),
    ],
    [
      live('u8', 54, NOW - 50 * MINUTE, NOW - 15 * MINUTE, 'sealed', 2),
      live('u9', 55, NOW - 4 * MINUTE, NOW - 4 * MINUTE, 'active', 2, 1),
    ],
  ];
  const liveEvents = [
    event(NOW - 60_000, 'u1', 'page_view', ...MOBILE_IOS, 'live-51'),
    event(NOW - 30_000, 'u5', 'like', ...MOBILE_IOS, 'live-52'),
    event(NOW - 90_000, 'u1', 'page_view', ...MOBILE_IOS, 'live-50'),
    event(NOW - 20 * MINUTE, 'u6', 'page_view', ...MOBILE_IOS, 'live-53'),
  ];

  const YEARS_AGO = TODAY - 400 * DAY;

  beforeAll(async () => {
    await admin.command({ query: `CREATE DATABASE ${database}` });
    await migrate(client, readMigrations(MIGRATIONS_DIR));
    // One insert per batch: separate parts, as the jobs' commits make them.
    const insert = (table: string, values: unknown[]) => client.insert({ table, values, format: 'JSONEachRow' });
    for (const batch of [
      ...recentSessions,
      canarySessions,
      ...dailySessions.map((s) => [s]),
      withdrawn,
      ...liveSessions,
    ]) {
      await insert('sessions', batch.map(sessionRow));
    }
    await insert('sessions', [sessionRow({ ...withdrawn[0], events: 0, page_views: 0, revision: 2, is_deleted: 1 })]);
    for (const batch of [recentEvents, ...dailyEvents.map((e) => [e]), liveEvents]) await insert('events', batch);
    // 400 days ago only the day rollups keep anything (the archive keeps 90 days): written directly.
    await client.command({
      query: `INSERT INTO engagement_day SELECT toDateTime({day:String}, 'UTC'), 'page_view', 'desktop', 'linux', 'FR',
                sum(1), uniqState(t.1), uniqState(t.2)
              FROM (SELECT arrayJoin([('old-1', 's-1'), ('old-1', 's-1'), ('old-2', 's-2')]) AS t)`,
      query_params: { day: seconds(YEARS_AGO) },
    });
    await client.command({
      query: `INSERT INTO session_day SELECT toDateTime({day:String}, 'UTC'), 'desktop', 'linux', 'FR',
                count(), countIf(d = 0), sum(e), sum(e), sum(d), uniqState(u), quantilesTDigestState(0.5, 0.9, 0.99)(d)
              FROM (SELECT arrayJoin([('old-1', 2, toUInt64(0)), ('old-2', 5, toUInt64(90000))]) AS t, t.1 AS u, t.2 AS e, t.3 AS d)`,
      query_params: { day: seconds(YEARS_AGO) },
    });
  });
  afterAll(async () => {
    await admin.command({ query: `DROP DATABASE IF EXISTS ${database}` });
    await Promise.all([admin.close(), client.close(), repository.onModuleDestroy()]);
  });

  /** ClickHouse's JSON numbers and UInt64 strings alike as numbers, other fields as they are. */
  const numeric = <T extends object>(rows: T[]) =>
    rows.map((row) =>
      Object.fromEntries(
        Object.entries(row).map(([k, v]) => [k, typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v]),
      ),
    );
  const summary = (
    interval: 'minute' | 'hour' | 'day',
    from: number,
    to: number,
    group_by: null | 'device' | 'os' | 'country' | 'event_type' = null,
  ) => ({
    interval,
    group_by,
    from: new Date(from),
    to: new Date(to),
  });
  const NOW_DATE = new Date(NOW);

  describe('summary', () => {
    it('should count visitors, sessions and events per minute from the engagement rollup', async () => {
      const rows = await repository.engagementSummary(summary('minute', H, H + HOUR));

      expect(numeric(rows)).toEqual([
        { period: seconds(H), event_count: 6, user_count: 4, session_count: 4 },
        { period: seconds(H + MINUTE), event_count: 1, user_count: 1, session_count: 1 },
      ]);
    });

    it('should merge sealed sessions from the rollup with unsealed ones from sessions, each once', async () => {
      // S1 and S3 sealed (rollup), S2 closed and S4 active (sessions FINAL); S4's tombstone and S1's
      // older active report are not read. Durations 65 s, 0, 0 (bounces) and 12 s.
      const rows = await repository.sessionSummary(summary('minute', H, H + HOUR), NOW_DATE);

      expect(numeric(rows)).toEqual([
        { period: seconds(H), sessions: 4, bounces: 2, events: 7, duration_ms: [0, 65000, 65000] },
      ]);
    });

    it('should break both down by device, the unsealed sessions by their own device', async () => {
      const query = summary('minute', H, H + HOUR, 'device');
      const [engagement, sessions] = await Promise.all([
        repository.engagementSummary(query),
        repository.sessionSummary(query, NOW_DATE),
      ]);

      expect(numeric(engagement)).toEqual([
        { period: seconds(H), group_value: 'desktop', event_count: 3, user_count: 2, session_count: 2 },
        { period: seconds(H), group_value: 'mobile', event_count: 3, user_count: 2, session_count: 2 },
        { period: seconds(H + MINUTE), group_value: 'mobile', event_count: 1, user_count: 1, session_count: 1 },
      ]);
      expect(numeric(sessions)).toEqual([
        {
          period: seconds(H),
          group_value: 'desktop',
          sessions: 2,
          bounces: 1,
          events: 3,
          duration_ms: [0, 12000, 12000],
        },
        {
          period: seconds(H),
          group_value: 'mobile',
          sessions: 2,
          bounces: 1,
          events: 4,
          duration_ms: [0, 65000, 65000],
        },
      ]);
    });

    it('should break the engagement rollup down by event type', async () => {
      const rows = await repository.engagementSummary(summary('minute', H, H + HOUR, 'event_type'));

      expect(numeric(rows)).toEqual([
        { period: seconds(H), group_value: 'like', event_count: 1, user_count: 1, session_count: 1 },
        { period: seconds(H), group_value: 'page_view', event_count: 5, user_count: 4, session_count: 4 },
        { period: seconds(H + MINUTE), group_value: 'page_view', event_count: 1, user_count: 1, session_count: 1 },
      ]);
    });

    it('should answer hours and days from their rollups, sealed sessions only in the past', async () => {
      const hours = summary('hour', TODAY - 3 * DAY, TODAY - DAY + 13 * HOUR);
      const days = summary('day', TODAY - 3 * DAY, TODAY - DAY);

      expect(numeric(await repository.engagementSummary(hours))).toEqual(
        [3, 2, 1].map((d) => ({ period: seconds(noonOf(d)), event_count: 2, user_count: 1, session_count: 1 })),
      );
      expect(numeric(await repository.sessionSummary(hours, NOW_DATE))).toEqual(
        [60_000, 120_000, 180_000].map((ms, i) => ({
          period: seconds(noonOf(3 - i)),
          sessions: 1,
          bounces: 0,
          events: 2,
          duration_ms: [ms, ms, ms],
        })),
      );
      expect(numeric(await repository.engagementSummary(days))).toEqual([
        { period: seconds(TODAY - 3 * DAY), event_count: 2, user_count: 1, session_count: 1 },
        // Two days ago also holds u1's withdrawn session: it had no events.
        { period: seconds(TODAY - 2 * DAY), event_count: 2, user_count: 1, session_count: 1 },
      ]);
      expect(numeric(await repository.sessionSummary(days, NOW_DATE))).toEqual([
        { period: seconds(TODAY - 3 * DAY), sessions: 1, bounces: 0, events: 2, duration_ms: [60000, 60000, 60000] },
        { period: seconds(TODAY - 2 * DAY), sessions: 1, bounces: 0, events: 2, duration_ms: [120000, 120000, 120000] },
      ]);
    });

    it('should read a day of years ago from the day rollups alone', async () => {
      const query = summary('day', YEARS_AGO, YEARS_AGO + DAY, 'country');

      expect(numeric(await repository.engagementSummary(query))).toEqual([
        { period: seconds(YEARS_AGO), group_value: 'FR', event_count: 3, user_count: 2, session_count: 2 },
      ]);
      expect(numeric(await repository.sessionSummary(query, NOW_DATE))).toEqual([
        {
          period: seconds(YEARS_AGO),
          group_value: 'FR',
          sessions: 2,
          bounces: 1,
          events: 7,
          duration_ms: [0, 90000, 90000],
        },
      ]);
    });
  });

  describe('live', () => {
    it('should count the sessions in progress and the visitors of the last minutes', async () => {
      // Active: u1 twice and u5; not u6 (closed), u8 (sealed since), u9 (withdrawn), u10 (silent 2 h).
      // Last 5 minutes: u1's and u5's events, not u6's 20 minutes ago.
      expect(numeric([(await repository.liveEngagement(NOW_DATE))!])).toEqual([
        { active_sessions: 3, active_users: 2, recent_users: 2, recent_sessions: 3, recent_events: 3 },
      ]);
    });
  });

  describe('canary', () => {
    it("should list the canary's sessions of the last minutes, and only them", async () => {
      const rows = await repository.latestCanarySessions(1000);

      expect(rows.map((r) => [r.user_id, r.status, r.events])).toEqual([['CANARY:canary-1', 'active', 3]]);
    });

    it("should keep the canary's sealed sessions out of the session rollups", async () => {
      const result = await client.query({
        query: `SELECT toString(sum(sessions)) AS sessions FROM session_minute WHERE period = {h:DateTime('UTC')}`,
        query_params: { h: seconds(H) },
        format: 'JSONEachRow',
      });
      // S1 and S3, sealed in that minute; not the canary's.
      expect(await result.json<{ sessions: string }>()).toEqual([{ sessions: '2' }]);
    });
  });

  describe('user sessions', () => {
    const journey = (from: number, to: number, limit = 100) => ({
      user_id: 'u1',
      from: new Date(from),
      to: new Date(to),
      limit,
    });

    it("should list a user's sessions of the range newest first, with the latest report of each", async () => {
      const rows = await repository.userSessions(journey(NOW - 7 * DAY, NOW + MINUTE));

      expect(rows.map((r) => [r.client_session_id, r.status])).toEqual([
        ['live-51', 'active'],
        ['live-50', 'active'],
        ['c1', 'sealed'],
        ['day-1', 'sealed'],
        ['day-3', 'sealed'],
      ]);
      expect(numeric([rows[2]])).toEqual([
        {
          session_id: id(1),
          client_session_id: 'c1',
          session_start: text(H + 5_000),
          session_end: text(H + 70_000),
          duration_ms: 65_000,
          events: 3,
          page_views: 2,
          distinct_pages: 2,
          entry_page: '/home',
          exit_page: '/feed',
          posts_created: 0,
          likes: 1,
          comments: 0,
          shares: 0,
          device_type: 'mobile',
          os: 'ios',
          country: 'DE',
          is_bounce: false,
          status: 'sealed',
        },
      ]);
    });

    it('should answer one more row than the limit, and only the range asked', async () => {
      expect(
        (await repository.userSessions(journey(NOW - 7 * DAY, NOW + MINUTE, 2))).map((r) => r.client_session_id),
      ).toEqual(['live-51', 'live-50', 'c1']);
      expect((await repository.userSessions(journey(noonOf(41), noonOf(39)))).map((r) => r.client_session_id)).toEqual([
        'day-40',
      ]);
    });
  });

  describe('partition pruning', () => {
    // [name, statement, tables read, tables whose range is empty (no part can match: nothing is read)]
    const statements: [string, ClickHouseStatement, string[], string[]?][] = [
      ['summary minute', engagementSummaryStatement(summary('minute', H, H + HOUR, 'device')), ['engagement_minute']],
      [
        'summary hour',
        engagementSummaryStatement(summary('hour', TODAY - 3 * DAY, TODAY - 2 * DAY)),
        ['engagement_hour'],
      ],
      [
        'summary day',
        engagementSummaryStatement(summary('day', TODAY - 3 * DAY, TODAY - DAY, 'event_type')),
        ['engagement_day'],
      ],
      [
        'sessions minute',
        sessionSummaryStatement(summary('minute', H, H + HOUR, 'os'), NOW_DATE),
        ['session_minute', 'sessions'],
      ],
      [
        'sessions hour',
        sessionSummaryStatement(summary('hour', TODAY - 3 * DAY, TODAY - 2 * DAY), NOW_DATE),
        ['session_hour', 'sessions'],
        ['sessions'],
      ],
      [
        'sessions day',
        sessionSummaryStatement(summary('day', TODAY - 3 * DAY, TODAY - DAY), NOW_DATE),
        ['session_day', 'sessions'],
        ['sessions'],
      ],
      // Ranges up to now: the unsealed sessions of the last day are read too, still not all partitions.
      [
        'sessions hour, to now',
        sessionSummaryStatement(summary('hour', TODAY - DAY, TODAY + DAY), NOW_DATE),
        ['session_hour', 'sessions'],
      ],
      [
        'sessions day, to now',
        sessionSummaryStatement(summary('day', TODAY - 2 * DAY, TODAY + DAY), NOW_DATE),
        ['session_day', 'sessions'],
      ],
      ['live', liveEngagementStatement(NOW_DATE), ['sessions', 'engagement_minute']],
      ['user sessions', userSessionsStatement(journey7Days()), ['sessions']],
      ['canary sessions', canarySessionsStatement(new Date(NOW - 5 * MINUTE), 1000), ['sessions']],
    ];
    function journey7Days() {
      return { user_id: 'u1', from: new Date(NOW - 7 * DAY), to: new Date(NOW + MINUTE), limit: 100 };
    }

    it.each(statements)(
      'should read fewer parts and granules than the tables hold: %s',
      async (_, statement, tables, empty = []) => {
        const explain = await (
          await client.query({
            ...statement,
            query: `EXPLAIN indexes = 1 ${statement.query}`,
            format: 'TabSeparatedRaw',
          })
        ).text();
        const reads = explainedReads(explain);
        for (const read of reads)
          if (read.selected === null)
            expect(read.reads, `a read without index analysis must read nothing\n${explain}`).toBeNull();

        expect(
          reads.map((r) => r.database),
          explain,
        ).toEqual(reads.map(() => database));
        const names = reads.map((r) => r.table);
        // A table whose range is empty may also be planned away entirely (a server may read a null source).
        expect(names.filter((n) => !empty.includes(n)).sort(), explain).toEqual(
          tables.filter((t) => !empty.includes(t)).sort(),
        );
        for (const [i, read] of reads.entries()) {
          if (empty.includes(names[i])) {
            // Sealed past only: the unsealed range [max(from, now - 1 day), to) is empty, nothing is read.
            expect(read.selected?.parts ?? 0, explain).toBe(0);
            continue;
          }
          const { total, selected } = read;
          if (total === null || selected === null) throw new Error(`${names[i]} was not index-analysed\n${explain}`);
          expect(total.parts, `${read.table} should hold several parts\n${explain}`).toBeGreaterThan(1);
          expect(selected.parts, `${read.table} parts\n${explain}`).toBeLessThan(total.parts);
          expect(selected.granules, `${read.table} granules\n${explain}`).toBeLessThan(total.granules);
        }
      },
    );
  });
});
