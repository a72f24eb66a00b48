import { describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, readMigrations } from '@social-pulse/clickhouse';
import { BACKFILL_VIEWS, type BackfillViewName } from '@social-pulse/shared';
import {
  chunkInsertSettings,
  chunkInsertSql,
  createViewSql,
  dedupToken,
  deduplicationWindow,
  identifier,
  instantLiteral,
  instantParam,
  measuresOf,
  parseViewStatement,
  planChunks,
  planQuerySql,
  reconcileSql,
  resolveViewDefinition,
  ttlDays,
  type ViewDefinition,
} from './view-backfill.sql';

const statements = readMigrations(MIGRATIONS_DIR).flatMap((m) => m.statements);
const definition = (view: BackfillViewName, rename?: (t: string) => string) =>
  resolveViewDefinition(view, BACKFILL_VIEWS[view], statements, rename);

const CUTOVER = '2026-11-27T12:00:00.000Z';

describe('BACKFILL_VIEWS', () => {
  it.each(Object.keys(BACKFILL_VIEWS) as BackfillViewName[])(
    'should find %s in the migrations, reading from its source into its target',
    (view) => {
      const def = definition(view);
      const family = view.startsWith('engagement') ? 'engagement' : 'ad_performance';
      expect(def.view).toBe(view);
      expect(def.target).toBe(view.replace(/_mv$/, ''));
      expect(def.source).toBe(family === 'engagement' ? 'events' : 'ad_performance_changes');
      expect(def.projection).toMatch(/ AS period,/);
      expect(def.groupBy).toMatch(/^period, /);
    },
  );
});

describe(parseViewStatement.name, () => {
  it('should take apart a view with a WHERE condition', () => {
    const parsed = parseViewStatement(
      `CREATE MATERIALIZED VIEW IF NOT EXISTS s_mv TO s AS\nSELECT\n  count() AS n\nFROM sessions\nWHERE status = 'sealed' AND is_deleted = 0\nGROUP BY period`,
    );
    expect(parsed).toEqual({
      view: 's_mv',
      target: 's',
      source: 'sessions',
      projection: 'count() AS n',
      where: "status = 'sealed' AND is_deleted = 0",
      groupBy: 'period',
    });
  });

  it.each([
    'CREATE TABLE t (x UInt8) ENGINE = MergeTree ORDER BY x',
    'CREATE MATERIALIZED VIEW v TO t AS SELECT x FROM a',
    'CREATE MATERIALIZED VIEW v TO t AS SELECT x FROM a JOIN b USING (k) GROUP BY x',
    'CREATE MATERIALIZED VIEW v TO t AS SELECT x FROM (SELECT x FROM a) GROUP BY x',
  ])('should refuse a statement it cannot take apart: %s', (statement) => {
    expect(parseViewStatement(statement)).toBeNull();
  });

  it('should take the newest definition when a later migration redefines the view', () => {
    const def = resolveViewDefinition(view('old'), spec, [
      'CREATE MATERIALIZED VIEW v TO t AS SELECT 1 AS old FROM s GROUP BY old',
      'CREATE MATERIALIZED VIEW IF NOT EXISTS v TO t AS SELECT 2 AS new FROM s GROUP BY new',
    ]);
    expect(def.projection).toBe('2 AS new');
  });
});

const spec = { timeColumn: 't', cutoverColumn: 'w', periodColumn: 'period' };
const view = (_: string) => 'v';

describe(identifier.name, () => {
  it.each(['events', 'bf_1a2b_events', '_x'])('should accept %j', (name) => {
    expect(identifier(name)).toBe(name);
  });

  it.each(['', 'events; DROP TABLE x', 'a.b', '`x`', '1abc', "x'", 'a b'])('should refuse %j', (name) => {
    expect(() => identifier(name)).toThrow(/not a plain identifier/);
  });

  it('should refuse a renamed table that is not a plain identifier', () => {
    expect(() => definition('engagement_minute_mv', (t) => `${t}; DROP TABLE events`)).toThrow(/identifier/);
  });
});

describe(instantLiteral.name, () => {
  it('should write an ISO instant as a DateTime64 literal', () => {
    expect(instantLiteral(CUTOVER)).toBe(`toDateTime64('2026-11-27 12:00:00.000', 3, 'UTC')`);
    expect(instantParam(CUTOVER)).toBe('2026-11-27 12:00:00.000');
  });

  it.each([
    "2026-11-27T12:00:00.000Z'",
    '2026-11-27 12:00:00',
    '2026-11-27T12:00:00Z',
    'yesterday',
    '2026-13-40T12:00:00.000Z',
  ])('should refuse %j', (value) => {
    expect(() => instantLiteral(value)).toThrow(/not an ISO instant/);
  });
});

describe('backfill SQL', () => {
  const minute = definition('engagement_minute_mv');

  it('should start the view at the cut-over, on the write time, keeping the SELECT and naming the cut-over', () => {
    const sql = createViewSql(minute, CUTOVER);
    expect(sql).toMatch(
      /^CREATE MATERIALIZED VIEW engagement_minute_mv TO engagement_minute AS SELECT toStartOfMinute/,
    );
    expect(sql).toContain(
      `FROM events WHERE received_at >= toDateTime64('2026-11-27 12:00:00.000', 3, 'UTC') GROUP BY period, event_type`,
    );
    expect(sql).toMatch(/COMMENT 'backfill cutover 2026-11-27T12:00:00.000Z'$/);
  });

  it('should keep the view own WHERE condition beside the cut-over', () => {
    const def: ViewDefinition = { ...minute, where: "status = 'sealed'" };
    expect(createViewSql(def, CUTOVER)).toContain(`WHERE (status = 'sealed') AND received_at >= toDateTime64(`);
    expect(chunkInsertSql(def)).toContain(`WHERE (status = 'sealed') AND event_time >= {from:`);
  });

  it('should fill a chunk of history written before the cut-over, with parameters only', () => {
    expect(chunkInsertSql(minute)).toMatch(
      /^INSERT INTO engagement_minute SELECT toStartOfMinute\(event_time\) AS period, .* FROM events WHERE event_time >= \{from:DateTime64\(3, 'UTC'\)\} AND event_time < \{to:DateTime64\(3, 'UTC'\)\} AND received_at < \{cutover:DateTime64\(3, 'UTC'\)\} GROUP BY period, event_type, device_type, os, country$/,
    );
  });

  it('should count rows per hour of history for the plan', () => {
    expect(planQuerySql(definition('ad_performance_hour_mv'))).toBe(
      "SELECT toStartOfHour(minute) AS hour, count() AS rows FROM ad_performance_changes WHERE minute >= {from:DateTime64(3, 'UTC')} AND changed_at < {cutover:DateTime64(3, 'UTC')} GROUP BY hour ORDER BY hour",
    );
  });

  it('should give each (view, cut-over, chunk) its own deduplication token, and the same one on a repeat', () => {
    const chunk = { from: '2026-11-20T00:00:00.000Z', to: '2026-11-21T00:00:00.000Z' };
    const token = dedupToken('engagement_minute_mv', CUTOVER, chunk);
    expect(token).toBe(dedupToken('engagement_minute_mv', CUTOVER, { ...chunk }));
    expect(
      new Set([
        token,
        dedupToken('engagement_hour_mv', CUTOVER, chunk),
        dedupToken('engagement_minute_mv', '2026-11-27T12:00:10.000Z', chunk),
        dedupToken('engagement_minute_mv', CUTOVER, { ...chunk, to: '2026-11-20T12:00:00.000Z' }),
      ]).size,
    ).toBe(4);
    expect(chunkInsertSettings(token)).toMatchObject({ insert_deduplicate: 1, insert_deduplication_token: token });
  });

  it('should reconcile the exact measures per period against the view over the source', () => {
    const measures = measuresOf([
      { name: 'period', type: "DateTime('UTC')" },
      { name: 'event_type', type: 'LowCardinality(String)' },
      { name: 'events', type: 'SimpleAggregateFunction(sum, UInt64)' },
      { name: 'users', type: 'AggregateFunction(uniq, String)' },
      { name: 'duration', type: 'AggregateFunction(quantilesTDigest(0.5, 0.9, 0.99), UInt64)' },
    ]);
    expect(measures).toEqual([
      { column: 'events', merge: 'sum(events)', sourceMerge: 'sum(events)' },
      {
        column: 'users',
        merge: 'uniqMerge(users)',
        sourceMerge: "uniqMerge(CAST(users, 'AggregateFunction(uniq, String)'))",
      },
    ]);
    const sql = reconcileSql(minute, measures);
    expect(sql).toContain(
      "FROM (SELECT period, sum(events) AS events, uniqMerge(users) AS users FROM engagement_minute WHERE period >= {from:DateTime64(3, 'UTC')} GROUP BY period) AS t",
    );
    expect(sql).toContain("FROM events WHERE event_time >= {from:DateTime64(3, 'UTC')} GROUP BY period, event_type");
    expect(sql).toContain('countIf(t.events != s.events OR t.users != s.users) AS mismatched');
    // The view's states are cast to the target's: the ads views' uniqArrayState is stored as a uniq state.
    expect(sql).toContain(
      "SELECT period, sum(events) AS events, uniqMerge(CAST(users, 'AggregateFunction(uniq, String)')) AS users FROM (SELECT",
    );
    expect(() => reconcileSql(minute, [])).toThrow(/no measure/);
  });
});

describe(planChunks.name, () => {
  const hour = (day: string, h: number) => `${day} ${String(h).padStart(2, '0')}:00:00`;

  it('should plan nothing without history', () => {
    expect(planChunks([], 100)).toEqual([]);
  });

  it('should tile each day with rows from midnight to midnight, packing hours up to the bound', () => {
    const chunks = planChunks(
      [
        { hour: hour('2026-11-20', 3), rows: 60 },
        { hour: hour('2026-11-20', 5), rows: 30 },
        { hour: hour('2026-11-20', 9), rows: 20 },
        { hour: hour('2026-11-22', 0), rows: 10 },
      ],
      100,
    );
    expect(chunks).toEqual([
      { index: 0, from: '2026-11-20T00:00:00.000Z', to: '2026-11-20T09:00:00.000Z', rows: 90 },
      { index: 1, from: '2026-11-20T09:00:00.000Z', to: '2026-11-21T00:00:00.000Z', rows: 20 },
      { index: 2, from: '2026-11-22T00:00:00.000Z', to: '2026-11-23T00:00:00.000Z', rows: 10 },
    ]);
  });

  it('should cut an hour above the bound into equal slices, the last reaching midnight', () => {
    const chunks = planChunks(
      [
        { hour: hour('2026-11-20', 22), rows: 10 },
        { hour: hour('2026-11-20', 23), rows: 250 },
      ],
      100,
    );
    expect(chunks).toEqual([
      { index: 0, from: '2026-11-20T00:00:00.000Z', to: '2026-11-20T23:00:00.000Z', rows: 10 },
      { index: 1, from: '2026-11-20T23:00:00.000Z', to: '2026-11-20T23:20:00.000Z', rows: 84 },
      { index: 2, from: '2026-11-20T23:20:00.000Z', to: '2026-11-20T23:40:00.000Z', rows: 83 },
      { index: 3, from: '2026-11-20T23:40:00.000Z', to: '2026-11-21T00:00:00.000Z', rows: 83 },
    ]);
  });

  it('should never leave a gap or overlap, nor cross midnight, whatever the counts', () => {
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const hours = [];
    for (let d = 1; d <= 9; d += 1 + Math.floor(random() * 2)) {
      for (let h = 0; h < 24; h++) {
        if (random() < 0.5) hours.push({ hour: hour(`2026-11-0${d}`, h), rows: Math.floor(random() * 400) });
      }
    }
    const chunks = planChunks(hours, 150);
    expect(chunks.reduce((sum, c) => sum + c.rows, 0)).toBe(hours.reduce((sum, h) => sum + h.rows, 0));
    chunks.forEach((chunk, i) => {
      expect(chunk.index).toBe(i);
      expect(chunk.from < chunk.to).toBe(true);
      expect(chunk.rows).toBeLessThanOrEqual(150);
      expect(chunk.from.slice(0, 10) === chunk.to.slice(0, 10) || chunk.to.endsWith('T00:00:00.000Z')).toBe(true);
      const next = chunks[i + 1];
      if (next && next.from.slice(0, 10) === chunk.from.slice(0, 10)) expect(next.from).toBe(chunk.to);
      if (!next || next.from.slice(0, 10) !== chunk.from.slice(0, 10)) expect(chunk.to).toMatch(/T00:00:00.000Z$/);
    });
  });

  it('should refuse a bound that is not a positive whole number', () => {
    expect(() => planChunks([], 0)).toThrow(/maxRows/);
  });
});

describe('target settings', () => {
  const create =
    "CREATE TABLE default.engagement_minute (`period` DateTime('UTC')) ENGINE = AggregatingMergeTree PARTITION BY toDate(period) ORDER BY period TTL period + toIntervalDay(14) SETTINGS non_replicated_deduplication_window = 1000, index_granularity = 8192";

  it('should read the TTL in days and the deduplication window', () => {
    expect(ttlDays(create, 'period')).toBe(14);
    expect(ttlDays(create.replace('toIntervalDay(14)', 'toIntervalYear(3)'), 'period')).toBe(3 * 366);
    expect(ttlDays(create.replace(/TTL .* SETTINGS/, 'SETTINGS'), 'period')).toBeNull();
    expect(deduplicationWindow(create)).toBe(1000);
    expect(deduplicationWindow(create.replace('non_replicated_deduplication_window = 1000, ', ''))).toBe(0);
  });
});
