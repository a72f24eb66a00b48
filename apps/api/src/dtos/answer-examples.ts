import type { AdsCampaignsAnswerDto } from './ads-campaigns.dto';
import type { AdsPerformanceAnswerDto } from './ads-performance.dto';
import type { LiveEngagementAnswerDto } from './engagement-live.dto';
import type { EngagementSummaryAnswerDto } from './engagement-summary.dto';
import type { TopicHistoryAnswerDto, TrendingAnswerDto } from './trending.dto';
import type { UserSessionsAnswerDto } from './user-sessions.dto';

/**
 * One example answer per route, for the OpenAPI document (and so the typed client's readers). Typed by
 * the answer DTOs, so a field added to or renamed in a DTO fails type checking here; the OpenAPI
 * component test checks each example against the schema the document publishes.
 */

const envelope = (dataTime: string, computedAt: string, ageMs: number, staleAfterMs: number) => ({
  data_time: dataTime,
  computed_at: computedAt,
  age_ms: ageMs,
  source: 'redis' as const,
  stale: ageMs > staleAfterMs,
  stale_after_ms: staleAfterMs,
});

export const TRENDING_EXAMPLE: TrendingAnswerDto = {
  data: {
    window: '1m',
    window_start: '2026-11-26T12:00:00.000Z',
    window_end: '2026-11-26T12:01:00.000Z',
    topics: [
      {
        rank: 1,
        topic: 'heatpumps',
        score: 9.42,
        mentions: 412,
        unique_authors: 301,
        weighted_mentions: 355.1,
        damping: 0.138,
        bot_mentions: 3,
        baseline: 40.2,
        velocity: 7.12,
      },
    ],
  },
  ...envelope('2026-11-26T12:01:00.000Z', '2026-11-26T12:01:00.850Z', 1_450, 13_000),
};

export const TOPIC_HISTORY_EXAMPLE: TopicHistoryAnswerDto = {
  data: {
    topic: 'heatpumps',
    window: '5m',
    points: [
      {
        minute: '2026-11-26T11:59:00.000Z',
        window_end: '2026-11-26T11:59:30.000Z',
        score: 8.1,
        mentions: 1_630,
        rank: 2,
      },
      {
        minute: '2026-11-26T12:00:00.000Z',
        window_end: '2026-11-26T12:00:30.000Z',
        score: 9.0,
        mentions: 1_804,
        rank: 1,
      },
    ],
  },
  ...envelope('2026-11-26T12:00:30.000Z', '2026-11-26T12:00:31.200Z', 2_100, 40_000),
};

export const ENGAGEMENT_SUMMARY_EXAMPLE: EngagementSummaryAnswerDto = {
  data: {
    interval: 'hour',
    group_by: 'device',
    from: '2026-11-25T12:00:00.000Z',
    to: '2026-11-26T13:00:00.000Z',
    points: [
      {
        period: '2026-11-26T12:00:00.000Z',
        group: 'mobile',
        active_users: 1_204,
        sessions: 1_577,
        events: 20_113,
        sessions_started: 1_390,
        session_duration_p50_ms: 184_000,
        session_duration_p90_ms: 912_000,
        bounce_rate: 0.31,
        events_per_session: 12.8,
      },
    ],
  },
  ...envelope('2026-11-26T12:41:07.000Z', '2026-11-26T12:41:07.000Z', 4_000, 35_000),
};

export const LIVE_ENGAGEMENT_EXAMPLE: LiveEngagementAnswerDto = {
  data: {
    active_users: 812,
    active_sessions: 840,
    users_last_5_minutes: 655,
    sessions_last_5_minutes: 671,
    events_last_5_minutes: 9_420,
  },
  ...envelope('2026-11-26T12:41:07.000Z', '2026-11-26T12:41:07.000Z', 900, 7_000),
};

export const USER_SESSIONS_EXAMPLE: UserSessionsAnswerDto = {
  data: {
    user_id: 'u-1042',
    from: '2026-11-19T12:41:00.000Z',
    to: '2026-11-26T12:41:00.000Z',
    sessions: [
      {
        session_id: '0b6a1f4e-8d3c-4c8e-9f59-2d1c7a9e4b10',
        client_session_id: 's-7f3a',
        session_start: '2026-11-26T12:02:11.000Z',
        session_end: '2026-11-26T12:20:45.000Z',
        duration_ms: 1_114_000,
        events: 37,
        page_views: 9,
        distinct_pages: 6,
        entry_page: '/feed',
        exit_page: '/post/8812',
        posts_created: 1,
        likes: 12,
        comments: 2,
        shares: 0,
        device_type: 'mobile',
        os: 'iOS',
        country: 'NL',
        is_bounce: false,
        status: 'closed',
      },
    ],
    has_more: false,
  },
  ...envelope('2026-11-26T12:41:07.000Z', '2026-11-26T12:41:07.000Z', 1_200, 10_000),
};

export const ADS_PERFORMANCE_EXAMPLE: AdsPerformanceAnswerDto = {
  data: {
    interval: 'hour',
    group_by: ['device'],
    campaign_id: 'spring-sale',
    ad_id: null,
    from: '2026-11-25T12:00:00.000Z',
    to: '2026-11-26T13:00:00.000Z',
    points: [
      {
        period: '2026-11-26T12:00:00.000Z',
        group: { device: 'mobile' },
        impressions: 52_000,
        users_reached: 31_400,
        clicks: 910,
        attributed_clicks: 902,
        unattributed_clicks: 8,
        conversions: 41,
        unattributed_conversions: 2,
        ctr: 0.0175,
        conversion_rate: 0.045055,
        money: [
          {
            currency: 'EUR',
            conversions: 41,
            spend_micros: '182500000',
            revenue_micros: '1230000000',
            unattributed_revenue_micros: '60000000',
            cpa_micros: '4451219',
            roas: 6.739726,
          },
        ],
      },
    ],
  },
  ...envelope('2026-11-26T12:41:07.000Z', '2026-11-26T12:41:06.000Z', 1_000, 35_000),
};

export const ADS_CAMPAIGNS_EXAMPLE: AdsCampaignsAnswerDto = {
  data: {
    grain: 'hour',
    from: '2026-11-25T12:00:00.000Z',
    to: '2026-11-26T13:00:00.000Z',
    limit: 20,
    campaigns: [
      {
        rank: 1,
        campaign_id: 'spring-sale',
        currency: 'EUR',
        impressions: 1_204_000,
        clicks: 20_410,
        conversions: 933,
        spend_micros: '4120000000',
        revenue_micros: '27800000000',
        ctr: 0.016952,
        cpa_micros: '4415862',
        roas: 6.747573,
      },
    ],
  },
  ...envelope('2026-11-26T12:41:07.000Z', '2026-11-26T12:41:06.000Z', 1_000, 35_000),
};
