import { describe, expect, it } from 'vitest';
import { explainedReads } from './explain-reads';

// Real plans, from ClickHouse 26.7 (EXPLAIN indexes = 1 …, format TabSeparatedRaw) on the platform's tables.

// Its time range keeps both parts; the primary key's event type, one of them.
const ONE_TABLE = `Output: event_type, sum(events)

Aggregating
│  Keys: event_type
│  Aggregates: sum(events)
│  Skip merging: 0
└──ReadFromMergeTree (default.engagement_minute)
      Read type: Default
      Parts: 1 | Granules: 1
      Output: event_type, sum(events)
      Prewhere filter
      Prewhere filter column:  period < '2026-11-27 09:17:27' AND period >= '2026-11-27 08:17:27' AND event_type = 'page_view'
      Indexes:
        Min-Max
          Keys:
            period
          Condition: and((period in (-Inf, 1795771046]), (period in [1795767447, +Inf)))
          Parts: 2/2
          Granules: 2/2
        Partition
          Keys:
            toDate(period)
          Condition: and((toDate(period) in (-Inf, 20784]), (toDate(period) in [20784, +Inf)))
          Parts: 2/2
          Granules: 2/2
        PrimaryKey
          Keys:
            period
            event_type
          Condition: and((event_type in ['page_view', 'page_view']), and((period in (-Inf, 1795771046]), (period in [1795767447, +Inf))))
          Parts: 1/2
          Granules: 1/2
          Search Algorithm: generic exclusion search
        Ranges: 1
`;

// Two reads, the first drawn inside the tree (│ before each line).
const TWO_TABLES = `Output: count(), uniq(user_id), uniqMerge(users), uniqMerge(sessions), sum(events)

Join (JOIN FillRightFirst)
│  recent[1] × active[0]
│  Type: cross | Strictness: all | Algorithm: HashJoin
│  Result rows: 1
│  Output:
│    Left:  users, sessions, events
│    Right: sessions, users
├──Aggregating
│  │  Keys:
│  │  Aggregates: uniqMerge(users), uniqMerge(sessions), sum(events)
│  │  Skip merging: 0
│  └──ReadFromMergeTree (default.engagement_minute)
│        Read type: Default
│        Parts: 2 | Granules: 2
│        Output: users, sessions, events
│        Prewhere filter
│        Prewhere filter column:  period >= '2026-11-27 09:00:00'
│        Indexes:
│          Min-Max
│            Keys:
│              period
│            Condition: (period in [1795770000, +Inf))
│            Parts: 2/2
│            Granules: 2/2
│          Partition
│            Keys:
│              toDate(period)
│            Condition: (toDate(period) in [20784, +Inf))
│            Parts: 2/2
│            Granules: 2/2
│          PrimaryKey
│            Keys:
│              period
│            Condition: (period in [1795770000, +Inf))
│            Parts: 2/2
│            Granules: 2/2
│            Search Algorithm: binary search
│          Ranges: 2
└──Aggregating
   │  Keys:
   │  Aggregates: count(), uniq(user_id)
   │  Skip merging: 0
   └──Filter ((WHERE + Change column names to column identifiers))
      │  Filter column: session_start >= '2026-11-27 07:00:00.000' AND session_start <= '2026-11-27 09:20:00.000' AND status = 'active' AND session_end >= '2026-11-27 09:15:00.000'
      └──ReadFromMergeTree (default.sessions)
            Read type: Default
            FINAL: 1
            Parts: 2 | Granules: 2
            Output: user_id, session_start, status, session_end
            Indexes:
              Min-Max
                Keys:
                  session_start
                Condition: and((session_start in (-Inf, '1795771200']), (session_start in ['1795762800', +Inf)))
                Parts: 2/2
                Granules: 2/2
              Partition
                Keys:
                  toDate(session_start)
                Condition: and((toDate(session_start) in (-Inf, 20784]), (toDate(session_start) in [20784, +Inf)))
                Parts: 2/2
                Granules: 2/2
              PrimaryKey
                Keys:
                  session_start
                Condition: and((session_start in (-Inf, '1795771200']), (session_start in ['1795762800', +Inf)))
                Parts: 2/2
                Granules: 2/2
                Search Algorithm: generic exclusion search
              Ranges: 2
`;

// An empty range: planned to read nothing, no index analysed.
const EMPTY_RANGE = `Output: count()

Aggregating
│  Keys:
│  Aggregates: count()
│  Skip merging: 0
└──Filter ((WHERE + Change column names to column identifiers))
   │  Filter column: 0
   └──ReadFromMergeTree (default.sessions)
         Read type: Default
         Output: Empty
`;

// A range before any data: Min-Max keeps no part, so every later index is handed none.
const BEFORE_ANY_DATA = `Output: count()

Aggregating
│  Keys:
│  Aggregates: count()
│  Skip merging: 0
└──Filter ((WHERE + Change column names to column identifiers))
   │  Filter column: period >= '2020-01-01' AND period < '2020-01-02'
   └──ReadFromMergeTree (default.engagement_day)
         Read type: Default
         Parts: 0 | Granules: 0
         Output: period
         Indexes:
           Min-Max
             Keys:
               period
             Condition: and((period in (-Inf, 1577923199]), (period in [1577836800, +Inf)))
             Parts: 0/2
             Granules: 0/2
           Partition
             Keys:
               toYear(period)
             Condition: and((toYear(period) in (-Inf, 2020]), (toYear(period) in [2020, +Inf)))
             Parts: 0/0
             Granules: 0/0
           PrimaryKey
             Keys:
               period
             Condition: and((period in (-Inf, 1577923199]), (period in [1577836800, +Inf)))
             Parts: 0/0
             Granules: 0/0
           Ranges: 0
`;

describe(explainedReads.name, () => {
  it('should read each index, the table, what the time range leaves and what is left to read', () => {
    expect(explainedReads(ONE_TABLE)).toEqual([
      {
        database: 'default',
        table: 'engagement_minute',
        reads: { parts: 1, granules: 1 },
        indexes: [
          { index: 'Min-Max', kept: { parts: 2, granules: 2 }, of: { parts: 2, granules: 2 } },
          { index: 'Partition', kept: { parts: 2, granules: 2 }, of: { parts: 2, granules: 2 } },
          { index: 'PrimaryKey', kept: { parts: 1, granules: 1 }, of: { parts: 2, granules: 2 } },
        ],
        total: { parts: 2, granules: 2 },
        byTimeRange: { parts: 2, granules: 2 },
        selected: { parts: 1, granules: 1 },
      },
    ]);
  });

  it('should read every table of a plan, in plan order, each with its own indexes', () => {
    const reads = explainedReads(TWO_TABLES);

    expect(reads.map((r) => `${r.database}.${r.table}`)).toEqual(['default.engagement_minute', 'default.sessions']);
    expect(reads.map((r) => r.indexes.map((i) => i.index))).toEqual([
      ['Min-Max', 'Partition', 'PrimaryKey'],
      ['Min-Max', 'Partition', 'PrimaryKey'],
    ]);
    expect(reads.map((r) => [r.total, r.byTimeRange, r.selected, r.reads])).toEqual([
      Array(4).fill({ parts: 2, granules: 2 }),
      Array(4).fill({ parts: 2, granules: 2 }),
    ]);
  });

  it('should take the total from the first index, as each is handed only what the previous one kept', () => {
    const [read] = explainedReads(BEFORE_ANY_DATA);

    expect(read.indexes.map((i) => [i.index, i.of.parts])).toEqual([
      ['Min-Max', 2],
      ['Partition', 0],
      ['PrimaryKey', 0],
    ]);
    expect(read).toMatchObject({
      table: 'engagement_day',
      reads: { parts: 0, granules: 0 },
      total: { parts: 2, granules: 2 },
      byTimeRange: { parts: 0, granules: 0 },
      selected: { parts: 0, granules: 0 },
    });
  });

  it('should tell a read planned as empty: nothing to read and no index analysed', () => {
    expect(explainedReads(EMPTY_RANGE)).toEqual([
      {
        database: 'default',
        table: 'sessions',
        reads: null,
        indexes: [],
        total: null,
        byTimeRange: null,
        selected: null,
      },
    ]);
  });

  it('should find no read in a plan without one', () => {
    expect(explainedReads('Output: dummy\n\nReadFromSystemOne\n')).toEqual([]);
  });
});
