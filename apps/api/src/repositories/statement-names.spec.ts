import { describe, expect, it } from 'vitest';
import { adsCampaignsStatement, adsPerformanceStatement, canaryAdsStatement } from './ads-queries';
import {
  canarySessionsStatement,
  engagementSummaryStatement,
  liveEngagementStatement,
  sessionSummaryStatement,
  userSessionsStatement,
  type ClickHouseStatement,
} from './engagement-queries';
import {
  LATEST_TRENDING,
  latestCanaryTopicsStatement,
  latestTrendingStatement,
  TOPIC_HISTORY,
  topicHistoryStatement,
} from './trending-queries';

const from = new Date('2026-11-26T11:00:00.000Z');
const to = new Date('2026-11-26T12:00:00.000Z');

/** Two request shapes per builder: the name is the builder's, whatever the request. */
const statements: [string, ClickHouseStatement[]][] = [
  ['trending_latest', [latestTrendingStatement('1m', 50, from), latestTrendingStatement('15m', 5, new Date(0))]],
  ['trending_latest_canary', [latestCanaryTopicsStatement('1m', 1000, from), latestCanaryTopicsStatement('5m', 5, to)]],
  ['trending_topic_history', [topicHistoryStatement('1m', 'ai', from), topicHistoryStatement('5m', 'x y', to)]],
  [
    'engagement_summary',
    [
      engagementSummaryStatement({ interval: 'minute', group_by: null, from, to }),
      engagementSummaryStatement({ interval: 'day', group_by: 'event_type', from, to }),
    ],
  ],
  [
    'session_summary',
    [
      sessionSummaryStatement({ interval: 'minute', group_by: null, from, to }, to),
      sessionSummaryStatement({ interval: 'hour', group_by: 'os', from, to }, to),
    ],
  ],
  ['engagement_live', [liveEngagementStatement(from), liveEngagementStatement(to)]],
  ['sessions_canary', [canarySessionsStatement(from, 1000), canarySessionsStatement(to, 1)]],
  ['ads_canary', [canaryAdsStatement(from, 1000), canaryAdsStatement(to, 1)]],
  [
    'user_sessions',
    [
      userSessionsStatement({ user_id: 'u', limit: 1, from, to }),
      userSessionsStatement({ user_id: 'v', limit: 9, from, to }),
    ],
  ],
  [
    'ads_performance',
    [
      adsPerformanceStatement({ interval: 'minute', group_by: [], campaign_id: null, ad_id: null, from, to }),
      adsPerformanceStatement({
        interval: 'day',
        group_by: ['currency', 'os'],
        campaign_id: 'c',
        ad_id: 'a',
        from,
        to,
      }),
    ],
  ],
  [
    'ads_campaigns',
    [
      adsCampaignsStatement({ grain: 'minute', limit: 20, from, to }),
      adsCampaignsStatement({ grain: 'day', limit: 1, from, to }),
    ],
  ],
];

describe('statement names', () => {
  it.each(statements)('should name every %s statement the same, whatever the request', (name, shapes) => {
    expect(shapes.map((statement) => statement.name)).toEqual(shapes.map(() => name));
  });

  it('should give each builder its own snake_case name: one series per query on the histogram', () => {
    const names = statements.map(([name]) => name);

    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z]+(_[a-z]+)*$/);
  });

  it('should run the trending SQL the integration tests EXPLAIN, with its parameters', () => {
    expect(latestTrendingStatement('5m', 50, from)).toEqual({
      name: 'trending_latest',
      query: LATEST_TRENDING,
      query_params: { window: '5m', limit: 50, since: '2026-11-26 11:00:00.000' },
    });
    expect(topicHistoryStatement('1m', 'ai', from)).toEqual({
      name: 'trending_topic_history',
      query: TOPIC_HISTORY,
      query_params: { window: '1m', topic: 'ai', since: '2026-11-26 11:00:00' },
    });
  });
});
