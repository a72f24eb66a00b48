// Generated from the API’s OpenAPI document by `npm run generate -w @social-pulse/api-client`: do not edit.

export type paths = {
  '/health': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['HealthController_health'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/ready': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['HealthController_ready'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/trending': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['TrendingController_get'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/trending/{topic}/history': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['TrendingController_history'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/engagement/summary': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['EngagementController_summary'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/engagement/live': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['EngagementController_live'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/users/{user_id}/sessions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['UsersController_sessions'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/ads/performance': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['AdsController_performance'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/ads/campaigns': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['AdsController_campaigns'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/canary/trending': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['CanaryController_trendingCanaries'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/canary/sessions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['CanaryController_sessionCanaries'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/canary/ads': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['CanaryController_adCanaries'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/stream': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['AnswerStreamController_open'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
};
export type webhooks = Record<string, never>;
export type components = {
  schemas: {
    ProblemDetailsDto: {
      /**
       * @description The problem type: about:blank (the status says it all) or one of the tag: URIs in the README
       * @example about:blank
       */
      type: string;
      /**
       * @description The status phrase
       * @example Unauthorized
       */
      title: string;
      /**
       * @description The HTTP status
       * @example 401
       */
      status: number;
      /**
       * @description What went wrong, for a person
       * @example missing API key: send X-API-Key
       */
      detail: string;
      /**
       * @description The request path
       * @example /v1/trending
       */
      instance: string;
    };
    ParameterErrorDto: {
      /**
       * @description The parameter; absent when a rule spans several
       * @example limit
       */
      parameter?: string;
      /** @example limit must be at most 100 */
      detail: string;
    };
    ValidationProblemDto: {
      /**
       * @description The problem type: about:blank (the status says it all) or one of the tag: URIs in the README
       * @example about:blank
       */
      type: string;
      /**
       * @description The status phrase
       * @example Unauthorized
       */
      title: string;
      /**
       * @description The HTTP status
       * @example 401
       */
      status: number;
      /**
       * @description What went wrong, for a person
       * @example missing API key: send X-API-Key
       */
      detail: string;
      /**
       * @description The request path
       * @example /v1/trending
       */
      instance: string;
      /** @description Each bad parameter */
      errors: components['schemas']['ParameterErrorDto'][];
    };
    RateLimitedProblemDto: {
      /**
       * @description The problem type: about:blank (the status says it all) or one of the tag: URIs in the README
       * @example about:blank
       */
      type: string;
      /**
       * @description The status phrase
       * @example Unauthorized
       */
      title: string;
      /**
       * @description The HTTP status
       * @example 401
       */
      status: number;
      /**
       * @description What went wrong, for a person
       * @example missing API key: send X-API-Key
       */
      detail: string;
      /**
       * @description The request path
       * @example /v1/trending
       */
      instance: string;
      /**
       * @description Seconds to wait, as in Retry-After
       * @example 1
       */
      retry_after: number;
    };
    InsufficientScopeProblemDto: {
      /**
       * @description The problem type: about:blank (the status says it all) or one of the tag: URIs in the README
       * @example about:blank
       */
      type: string;
      /**
       * @description The status phrase
       * @example Unauthorized
       */
      title: string;
      /**
       * @description The HTTP status
       * @example 401
       */
      status: number;
      /**
       * @description What went wrong, for a person
       * @example missing API key: send X-API-Key
       */
      detail: string;
      /**
       * @description The request path
       * @example /v1/trending
       */
      instance: string;
      /**
       * @description The scope the route needs
       * @example admin
       * @enum {string}
       */
      required_scope: 'read' | 'admin';
    };
    DependencyFailureDto: {
      /** @enum {string} */
      dependency: 'redis' | 'clickhouse';
      /**
       * @description timeout: no answer in time; circuit-open: not asked after failures in a row; error: it failed
       * @enum {string}
       */
      reason: 'timeout' | 'circuit-open' | 'error';
    };
    UnavailableProblemDto: {
      /**
       * @description The problem type: about:blank (the status says it all) or one of the tag: URIs in the README
       * @example about:blank
       */
      type: string;
      /**
       * @description The status phrase
       * @example Unauthorized
       */
      title: string;
      /**
       * @description The HTTP status
       * @example 401
       */
      status: number;
      /**
       * @description What went wrong, for a person
       * @example missing API key: send X-API-Key
       */
      detail: string;
      /**
       * @description The request path
       * @example /v1/trending
       */
      instance: string;
      /** @description The dependencies that failed */
      dependencies: ('redis' | 'clickhouse')[];
      reasons: components['schemas']['DependencyFailureDto'][];
      /**
       * @description Seconds to wait, as in Retry-After
       * @example 5
       */
      retry_after: number;
    };
    TrendingTopicDto: {
      /** @description 1-based place in the window, by score */
      rank: number;
      /** @description The normalised hashtag */
      topic: string;
      /** @description ln(1 + weighted_mentions) × velocity */
      score: number;
      /** @description Mentions counted: one per event_id, bot-flagged events left out */
      mentions: number;
      /** @description Distinct authors among the counted mentions */
      unique_authors: number;
      /** @description W: Σ over authors of min(1 + ln c, cap), c an author’s mentions */
      weighted_mentions: number;
      /** @description Share of mentions the per-author cap removed: 1 - W / mentions (0..1) */
      damping: number;
      /** @description Mentions from bot-flagged events, not counted */
      bot_mentions: number;
      /** @description B: the topic’s trailing baseline of W per window of this horizon */
      baseline: number;
      /** @description V = (W + k) / (B + k), k = 10: growth against the topic’s own baseline */
      velocity: number;
    };
    TrendingDataDto: {
      /** @enum {string} */
      window: '1m' | '5m' | '15m';
      /** @description Start of the latest window (ISO-8601, UTC) */
      window_start: string | null;
      /** @description End of the latest window (ISO-8601, UTC), exclusive */
      window_end: string | null;
      /** @description Highest score first */
      topics: components['schemas']['TrendingTopicDto'][];
    };
    TrendingAnswerDto: {
      data: components['schemas']['TrendingDataDto'];
      /** @description The time the data describes (ISO-8601, UTC); null when there is no data yet */
      data_time: string | null;
      /** @description When the pipeline computed the data (ISO-8601, UTC) */
      computed_at: string | null;
      /** @description Milliseconds from data_time to this answer */
      age_ms: number | null;
      /**
       * @description redis: the hot tier; clickhouse: recomputed for this request
       * @enum {string}
       */
      source: 'redis' | 'clickhouse';
      /** @description True when there is no data_time or age_ms > stale_after_ms */
      stale: boolean;
      /** @description The age past which this answer is stale */
      stale_after_ms: number;
    };
    TopicHistoryPointDto: {
      /** @description The minute (ISO-8601, UTC) in which the window ended */
      minute: string;
      /** @description End of the latest window of that minute that listed the topic */
      window_end: string;
      score: number;
      mentions: number;
      /** @description The topic’s rank in that window */
      rank: number;
    };
    TopicHistoryDataDto: {
      topic: string;
      /** @enum {string} */
      window: '1m' | '5m' | '15m';
      /** @description Oldest first; minutes the topic was not listed are absent */
      points: components['schemas']['TopicHistoryPointDto'][];
    };
    TopicHistoryAnswerDto: {
      data: components['schemas']['TopicHistoryDataDto'];
      /** @description The time the data describes (ISO-8601, UTC); null when there is no data yet */
      data_time: string | null;
      /** @description When the pipeline computed the data (ISO-8601, UTC) */
      computed_at: string | null;
      /** @description Milliseconds from data_time to this answer */
      age_ms: number | null;
      /**
       * @description redis: the hot tier; clickhouse: recomputed for this request
       * @enum {string}
       */
      source: 'redis' | 'clickhouse';
      /** @description True when there is no data_time or age_ms > stale_after_ms */
      stale: boolean;
      /** @description The age past which this answer is stale */
      stale_after_ms: number;
    };
    EngagementPointDto: {
      /** @description Start of the period (ISO-8601, UTC) */
      period: string;
      /** @description The group_by value of this series (empty when unknown); null without group_by */
      group: string | null;
      /** @description Distinct visitors (user id, else anonymous id) with an event in the period */
      active_users: number;
      /** @description Distinct client sessions with an event in the period */
      sessions: number;
      /** @description Events in the period */
      events: number;
      /** @description Sessions that started in the period (the denominator of the session metrics); null for group_by=event_type */
      sessions_started: number | null;
      /** @description Median duration of the sessions started, ms */
      session_duration_p50_ms: number | null;
      /** @description 90th percentile duration of the sessions started, ms */
      session_duration_p90_ms: number | null;
      /** @description Share of the sessions started that bounced (0..1) */
      bounce_rate: number | null;
      /** @description Events of the sessions started, per session */
      events_per_session: number | null;
    };
    EngagementSummaryDataDto: {
      /** @enum {string} */
      interval: 'minute' | 'hour' | 'day';
      /** @enum {string|null} */
      group_by: 'device' | 'os' | 'country' | 'event_type' | null;
      /** @description Start of the first period (ISO-8601, UTC): the request’s from, down to a period */
      from: string;
      /** @description End of the last period, exclusive: the request’s to, up to a period */
      to: string;
      /** @description Oldest first, then by group; periods without events are absent. Session metrics describe the sessions that started in the period (sealed and in progress); they are not broken down by event type. */
      points: components['schemas']['EngagementPointDto'][];
    };
    EngagementSummaryAnswerDto: {
      data: components['schemas']['EngagementSummaryDataDto'];
      /** @description The time the data describes (ISO-8601, UTC); null when there is no data yet */
      data_time: string | null;
      /** @description When the pipeline computed the data (ISO-8601, UTC) */
      computed_at: string | null;
      /** @description Milliseconds from data_time to this answer */
      age_ms: number | null;
      /**
       * @description redis: the hot tier; clickhouse: recomputed for this request
       * @enum {string}
       */
      source: 'redis' | 'clickhouse';
      /** @description True when there is no data_time or age_ms > stale_after_ms */
      stale: boolean;
      /** @description The age past which this answer is stale */
      stale_after_ms: number;
    };
    LiveEngagementDataDto: {
      /** @description Distinct visitors with a session in progress */
      active_users: number;
      /** @description Sessions in progress: reported active by the session job, last event < 35 min ago */
      active_sessions: number;
      /** @description Distinct visitors with an event in the last 5 minutes (whole minutes: the current one and the 5 before it) */
      users_last_5_minutes: number;
      /** @description Distinct client sessions with an event in those minutes */
      sessions_last_5_minutes: number;
      /** @description Events in those minutes */
      events_last_5_minutes: number;
    };
    LiveEngagementAnswerDto: {
      data: components['schemas']['LiveEngagementDataDto'];
      /** @description The time the data describes (ISO-8601, UTC); null when there is no data yet */
      data_time: string | null;
      /** @description When the pipeline computed the data (ISO-8601, UTC) */
      computed_at: string | null;
      /** @description Milliseconds from data_time to this answer */
      age_ms: number | null;
      /**
       * @description redis: the hot tier; clickhouse: recomputed for this request
       * @enum {string}
       */
      source: 'redis' | 'clickhouse';
      /** @description True when there is no data_time or age_ms > stale_after_ms */
      stale: boolean;
      /** @description The age past which this answer is stale */
      stale_after_ms: number;
    };
    UserSessionDto: {
      /** @description The session job’s id of the session (UUID) */
      session_id: string;
      /** @description The session id the client sent */
      client_session_id: string;
      /** @description First event (ISO-8601, UTC) */
      session_start: string;
      /** @description Last event so far (ISO-8601, UTC) */
      session_end: string;
      duration_ms: number;
      events: number;
      page_views: number;
      distinct_pages: number;
      entry_page: string;
      exit_page: string;
      posts_created: number;
      likes: number;
      comments: number;
      shares: number;
      device_type: string;
      os: string;
      country: string;
      /** @description One page view and nothing else */
      is_bounce: boolean;
      /**
       * @description active: in progress; closed: ended, late events may still revise it; sealed: final
       * @enum {string}
       */
      status: 'active' | 'closed' | 'sealed';
    };
    UserSessionsDataDto: {
      user_id: string;
      /** @description Sessions that started at or after this (ISO-8601, UTC) */
      from: string;
      /** @description ... and before this */
      to: string;
      /** @description Newest first, at most limit */
      sessions: components['schemas']['UserSessionDto'][];
      /** @description True when the range holds more sessions than limit */
      has_more: boolean;
    };
    UserSessionsAnswerDto: {
      data: components['schemas']['UserSessionsDataDto'];
      /** @description The time the data describes (ISO-8601, UTC); null when there is no data yet */
      data_time: string | null;
      /** @description When the pipeline computed the data (ISO-8601, UTC) */
      computed_at: string | null;
      /** @description Milliseconds from data_time to this answer */
      age_ms: number | null;
      /**
       * @description redis: the hot tier; clickhouse: recomputed for this request
       * @enum {string}
       */
      source: 'redis' | 'clickhouse';
      /** @description True when there is no data_time or age_ms > stale_after_ms */
      stale: boolean;
      /** @description The age past which this answer is stale */
      stale_after_ms: number;
    };
    AdsGroupDto: {
      /** @description Device type from the user agent */
      device?: string;
      os?: string;
      /** @description ISO 3166-1 alpha-2 */
      country?: string;
      /** @description From the profile valid at the event */
      age_band?: string;
      /** @description From the profile valid at the event */
      gender?: string;
      /** @description ISO 4217 currency of the rows */
      currency?: string;
    };
    AdsMoneyDto: {
      /** @description ISO 4217, or 'unknown' for money recorded without a currency */
      currency: string;
      /** @description Attributed conversions recorded in this currency (the denominator of cpa_micros) */
      conversions: number;
      /** @description Spend in integer micros of the currency, as a decimal string (exact beyond 2^53) */
      spend_micros: string;
      /** @description Revenue of attributed conversions, integer micros as a decimal string */
      revenue_micros: string;
      /** @description Revenue of conversions without a click, integer micros as a decimal string */
      unattributed_revenue_micros: string;
      /** @description Cost per acquisition: spend / conversions, in whole micros as a decimal string; null without conversions */
      cpa_micros: string | null;
      /** @description Return on ad spend: revenue / spend (6 decimals); null without spend */
      roas: number | null;
    };
    AdsPointDto: {
      /** @description Start of the period (ISO-8601, UTC) */
      period: string;
      /** @description This series' value of each group_by dimension ('unknown' when unknown); {} without group_by */
      group: components['schemas']['AdsGroupDto'];
      impressions: number;
      /** @description Distinct visitors (user id, else anonymous id) with an impression: merged uniq states of this point, never a sum of other points (approximate beyond about 65,000) */
      users_reached: number;
      /** @description All clicks */
      clicks: number;
      /** @description Clicks matched to an impression */
      attributed_clicks: number;
      /** @description clicks - attributed_clicks */
      unattributed_clicks: number;
      /** @description Conversions attributed to a click, in the click’s period and segment */
      conversions: number;
      /** @description Conversions without a click, in their own period and segment */
      unattributed_conversions: number;
      /** @description clicks / impressions (6 decimals); null without impressions */
      ctr: number | null;
      /** @description conversions / clicks (6 decimals); null without clicks */
      conversion_rate: number | null;
      /** @description Money per currency, by currency: no sum ever mixes two. Currencies whose spend, revenue and conversions are all zero here are left out (such as 'unknown' on impressions that cost nothing). */
      money: components['schemas']['AdsMoneyDto'][];
    };
    AdsPerformanceDataDto: {
      /** @enum {string} */
      interval: 'minute' | 'hour' | 'day';
      /** @description The breakdown, in canonical order */
      group_by: ('device' | 'os' | 'country' | 'age_band' | 'gender' | 'currency')[];
      campaign_id: string | null;
      ad_id: string | null;
      /** @description Start of the first period (ISO-8601, UTC): the request’s from, down to a period */
      from: string;
      /** @description End of the last period, exclusive: the request’s to, up to a period */
      to: string;
      /** @description Oldest first, then by group (dimensions in group_by order); periods without rows are absent */
      points: components['schemas']['AdsPointDto'][];
    };
    AdsPerformanceAnswerDto: {
      data: components['schemas']['AdsPerformanceDataDto'];
      /** @description The time the data describes (ISO-8601, UTC); null when there is no data yet */
      data_time: string | null;
      /** @description When the pipeline computed the data (ISO-8601, UTC) */
      computed_at: string | null;
      /** @description Milliseconds from data_time to this answer */
      age_ms: number | null;
      /**
       * @description redis: the hot tier; clickhouse: recomputed for this request
       * @enum {string}
       */
      source: 'redis' | 'clickhouse';
      /** @description True when there is no data_time or age_ms > stale_after_ms */
      stale: boolean;
      /** @description The age past which this answer is stale */
      stale_after_ms: number;
    };
    AdsCampaignDto: {
      /** @description Rank by spend among the campaigns of the same currency, from 1 */
      rank: number;
      campaign_id: string;
      /** @description ISO 4217, or 'unknown': every figure of this entry is of the rows in this currency */
      currency: string;
      impressions: number;
      clicks: number;
      /** @description Attributed conversions */
      conversions: number;
      /** @description Integer micros of the currency, as a decimal string (exact beyond 2^53) */
      spend_micros: string;
      /** @description Revenue of attributed conversions, integer micros as a decimal string */
      revenue_micros: string;
      /** @description clicks / impressions (6 decimals); null without impressions */
      ctr: number | null;
      /** @description spend / conversions in whole micros, as a decimal string; null without conversions */
      cpa_micros: string | null;
      /** @description revenue / spend (6 decimals); null without spend */
      roas: number | null;
    };
    AdsCampaignsDataDto: {
      /**
       * @description The fact table read: minute for ranges up to 6 hours, hour up to 31 days, day beyond
       * @enum {string}
       */
      grain: 'minute' | 'hour' | 'day';
      /** @description Start of the range (ISO-8601, UTC): the request’s from, down to a whole grain */
      from: string;
      /** @description End of the range, exclusive: the request’s to, up to a whole grain */
      to: string;
      /** @description Campaigns at most per currency */
      limit: number;
      /** @description Per currency (alphabetical), the campaigns with the most spend in it, most first; a campaign that spends in two currencies is listed in each. Currencies are never compared or added. */
      campaigns: components['schemas']['AdsCampaignDto'][];
    };
    AdsCampaignsAnswerDto: {
      data: components['schemas']['AdsCampaignsDataDto'];
      /** @description The time the data describes (ISO-8601, UTC); null when there is no data yet */
      data_time: string | null;
      /** @description When the pipeline computed the data (ISO-8601, UTC) */
      computed_at: string | null;
      /** @description Milliseconds from data_time to this answer */
      age_ms: number | null;
      /**
       * @description redis: the hot tier; clickhouse: recomputed for this request
       * @enum {string}
       */
      source: 'redis' | 'clickhouse';
      /** @description True when there is no data_time or age_ms > stale_after_ms */
      stale: boolean;
      /** @description The age past which this answer is stale */
      stale_after_ms: number;
    };
    CanarySessionDto: {
      /** @description The canary's visitor: CANARY: and the user id its event gave (its marker) */
      user_id: string;
      session_id: string;
      /** @description ISO-8601, UTC */
      session_start: string;
      /** @description ISO-8601, UTC: the time of its last event */
      session_end: string;
      events: number;
      /**
       * @description The session’s latest report
       * @enum {string}
       */
      status: 'active' | 'closed' | 'sealed';
    };
    CanarySessionsDataDto: {
      /** @description The canary's sessions that started in the last 5 minutes, newest first */
      sessions: components['schemas']['CanarySessionDto'][];
    };
    CanarySessionsAnswerDto: {
      data: components['schemas']['CanarySessionsDataDto'];
      /** @description The time the data describes (ISO-8601, UTC); null when there is no data yet */
      data_time: string | null;
      /** @description When the pipeline computed the data (ISO-8601, UTC) */
      computed_at: string | null;
      /** @description Milliseconds from data_time to this answer */
      age_ms: number | null;
      /**
       * @description redis: the hot tier; clickhouse: recomputed for this request
       * @enum {string}
       */
      source: 'redis' | 'clickhouse';
      /** @description True when there is no data_time or age_ms > stale_after_ms */
      stale: boolean;
      /** @description The age past which this answer is stale */
      stale_after_ms: number;
    };
    CanaryAdDto: {
      /** @description ISO-8601, UTC: the minute */
      period: string;
      /** @description The canary's campaign: CANARY: and the campaign id its events gave */
      campaign_id: string;
      /** @description The ad: the canary’s marker */
      ad_id: string;
      impressions: number;
    };
    CanaryAdsDataDto: {
      /** @description The canary campaigns' ads of the minute facts of the last 5 minutes, newest first */
      ads: components['schemas']['CanaryAdDto'][];
    };
    CanaryAdsAnswerDto: {
      data: components['schemas']['CanaryAdsDataDto'];
      /** @description The time the data describes (ISO-8601, UTC); null when there is no data yet */
      data_time: string | null;
      /** @description When the pipeline computed the data (ISO-8601, UTC) */
      computed_at: string | null;
      /** @description Milliseconds from data_time to this answer */
      age_ms: number | null;
      /**
       * @description redis: the hot tier; clickhouse: recomputed for this request
       * @enum {string}
       */
      source: 'redis' | 'clickhouse';
      /** @description True when there is no data_time or age_ms > stale_after_ms */
      stale: boolean;
      /** @description The age past which this answer is stale */
      stale_after_ms: number;
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
};
export type $defs = Record<string, never>;
export interface operations {
  HealthController_health: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The API process is alive. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  HealthController_ready: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Redis and ClickHouse answer (ready), or one of them does (degraded). */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Neither Redis nor ClickHouse answers. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  TrendingController_get: {
    parameters: {
      query?: {
        /** @description 1 to 100, default 20 */
        limit?: number;
        /** @description The horizon, default 1m */
        window?: '1m' | '5m' | '15m';
      };
      header?: {
        /** @description The ETag of an answer held: 304 without a body while it is still the answer */
        'If-None-Match'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The answer in its envelope */
      200: {
        headers: {
          /** @description The answer’s identity; send it back in If-None-Match for a 304 */
          ETag?: string;
          /** @description Seconds since the data’s time (data_time) */
          Age?: string;
          /** @description Reusable until the answer turns stale; no-cache once it is */
          'Cache-Control'?: string;
          /** @description redis (the hot tier) or clickhouse (computed for this request) */
          'X-Answer-Source'?: string;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "data": {
           *         "window": "1m",
           *         "window_start": "2026-11-26T12:00:00.000Z",
           *         "window_end": "2026-11-26T12:01:00.000Z",
           *         "topics": [
           *           {
           *             "rank": 1,
           *             "topic": "heatpumps",
           *             "score": 9.42,
           *             "mentions": 412,
           *             "unique_authors": 301,
           *             "weighted_mentions": 355.1,
           *             "damping": 0.138,
           *             "bot_mentions": 3,
           *             "baseline": 40.2,
           *             "velocity": 7.12
           *           }
           *         ]
           *       },
           *       "data_time": "2026-11-26T12:01:00.000Z",
           *       "computed_at": "2026-11-26T12:01:00.850Z",
           *       "age_ms": 1450,
           *       "source": "redis",
           *       "stale": false,
           *       "stale_after_ms": 13000
           *     }
           */
          'application/json': components['schemas']['TrendingAnswerDto'];
        };
      };
      /** @description Not Modified: If-None-Match named the current answer’s ETag */
      304: {
        headers: {
          /** @description The answer’s identity; send it back in If-None-Match for a 304 */
          ETag?: string;
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Unknown window or limit out of range. Also an unknown query parameter, or one given twice. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "tag:social-pulse,2026:problem:validation",
           *       "title": "Bad Request",
           *       "status": 400,
           *       "detail": "limit must be at most 100",
           *       "instance": "/v1/trending",
           *       "errors": [
           *         {
           *           "parameter": "limit",
           *           "detail": "limit must be at most 100"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ValidationProblemDto'];
        };
      };
      /** @description No API key, or an unknown one. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "missing API key: send X-API-Key",
           *       "instance": "/v1/trending"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDetailsDto'];
        };
      };
      /** @description The key’s scope does not cover read (today every key’s does). */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "tag:social-pulse,2026:problem:insufficient-scope",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "this route needs an API key of scope admin",
           *       "instance": "/v1/trending",
           *       "required_scope": "admin"
           *     }
           */
          'application/problem+json': components['schemas']['InsufficientScopeProblemDto'];
        };
      };
      /** @description The key made more requests than its rate allows (API_KEY_RATE_LIMIT, API_KEY_RATE_BURST). */
      429: {
        headers: {
          /** @description Seconds to wait before asking again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "tag:social-pulse,2026:problem:rate-limited",
           *       "title": "Too Many Requests",
           *       "status": 429,
           *       "detail": "rate limit of 50 requests per second for this API key exceeded; retry in 1 s",
           *       "instance": "/v1/trending",
           *       "retry_after": 1
           *     }
           */
          'application/problem+json': components['schemas']['RateLimitedProblemDto'];
        };
      };
      /** @description No answer can be served: ClickHouse failed and the last good answer is missing or too old, or both Redis and ClickHouse failed. */
      503: {
        headers: {
          /** @description Seconds to wait before asking again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "tag:social-pulse,2026:problem:unavailable",
           *       "title": "Service Unavailable",
           *       "status": 503,
           *       "detail": "the answer cannot be served now: clickhouse: no answer within 3000 ms; no last good answer",
           *       "instance": "/v1/trending",
           *       "dependencies": [
           *         "clickhouse"
           *       ],
           *       "reasons": [
           *         {
           *           "dependency": "clickhouse",
           *           "reason": "timeout"
           *         }
           *       ],
           *       "retry_after": 5
           *     }
           */
          'application/problem+json': components['schemas']['UnavailableProblemDto'];
        };
      };
    };
  };
  TrendingController_history: {
    parameters: {
      query?: {
        /** @description How far back, 1 to 1440, default 60 */
        minutes?: number;
        /** @description The horizon, default 1m */
        window?: '1m' | '5m' | '15m';
      };
      header?: {
        /** @description The ETag of an answer held: 304 without a body while it is still the answer */
        'If-None-Match'?: string;
      };
      path: {
        /** @description The hashtag, with or without #, any case */
        topic: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The answer in its envelope */
      200: {
        headers: {
          /** @description The answer’s identity; send it back in If-None-Match for a 304 */
          ETag?: string;
          /** @description Seconds since the data’s time (data_time) */
          Age?: string;
          /** @description Reusable until the answer turns stale; no-cache once it is */
          'Cache-Control'?: string;
          /** @description redis (the hot tier) or clickhouse (computed for this request) */
          'X-Answer-Source'?: string;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "data": {
           *         "topic": "heatpumps",
           *         "window": "5m",
           *         "points": [
           *           {
           *             "minute": "2026-11-26T11:59:00.000Z",
           *             "window_end": "2026-11-26T11:59:30.000Z",
           *             "score": 8.1,
           *             "mentions": 1630,
           *             "rank": 2
           *           },
           *           {
           *             "minute": "2026-11-26T12:00:00.000Z",
           *             "window_end": "2026-11-26T12:00:30.000Z",
           *             "score": 9,
           *             "mentions": 1804,
           *             "rank": 1
           *           }
           *         ]
           *       },
           *       "data_time": "2026-11-26T12:00:30.000Z",
           *       "computed_at": "2026-11-26T12:00:31.200Z",
           *       "age_ms": 2100,
           *       "source": "redis",
           *       "stale": false,
           *       "stale_after_ms": 40000
           *     }
           */
          'application/json': components['schemas']['TopicHistoryAnswerDto'];
        };
      };
      /** @description Not Modified: If-None-Match named the current answer’s ETag */
      304: {
        headers: {
          /** @description The answer’s identity; send it back in If-None-Match for a 304 */
          ETag?: string;
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Unknown window, empty topic or minutes out of range. Also an unknown query parameter, or one given twice. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "tag:social-pulse,2026:problem:validation",
           *       "title": "Bad Request",
           *       "status": 400,
           *       "detail": "minutes must be at most 1440",
           *       "instance": "/v1/trending/heatpumps/history",
           *       "errors": [
           *         {
           *           "parameter": "minutes",
           *           "detail": "minutes must be at most 1440"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ValidationProblemDto'];
        };
      };
      /** @description No API key, or an unknown one. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "missing API key: send X-API-Key",
           *       "instance": "/v1/trending/heatpumps/history"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDetailsDto'];
        };
      };
      /** @description The key’s scope does not cover read (today every key’s does). */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "tag:social-pulse,2026:problem:insufficient-scope",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "this route needs an API key of scope admin",
           *       "instance": "/v1/trending/heatpumps/history",
           *       "required_scope": "admin"
           *     }
           */
          'application/problem+json': components['schemas']['InsufficientScopeProblemDto'];
        };
      };
      /** @description The key made more requests than its rate allows (API_KEY_RATE_LIMIT, API_KEY_RATE_BURST). */
      429: {
        headers: {
          /** @description Seconds to wait before asking again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "tag:social-pulse,2026:problem:rate-limited",
           *       "title": "Too Many Requests",
           *       "status": 429,
           *       "detail": "rate limit of 50 requests per second for this API key exceeded; retry in 1 s",
           *       "instance": "/v1/trending/heatpumps/history",
           *       "retry_after": 1
           *     }
           */
          'application/problem+json': components['schemas']['RateLimitedProblemDto'];
        };
      };
      /** @description No answer can be served: ClickHouse failed and the last good answer is missing or too old, or both Redis and ClickHouse failed. */
      503: {
        headers: {
          /** @description Seconds to wait before asking again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "tag:social-pulse,2026:problem:unavailable",
           *       "title": "Service Unavailable",
           *       "status": 503,
           *       "detail": "the answer cannot be served now: clickhouse: no answer within 3000 ms; no last good answer",
           *       "instance": "/v1/trending/heatpumps/history",
           *       "dependencies": [
           *         "clickhouse"
           *       ],
           *       "reasons": [
           *         {
           *           "dependency": "clickhouse",
           *           "reason": "timeout"
           *         }
           *       ],
           *       "retry_after": 5
           *     }
           */
          'application/problem+json': components['schemas']['UnavailableProblemDto'];
        };
      };
    };
  };
  EngagementController_summary: {
    parameters: {
      query?: {
        /** @description One series per value; with event_type the session metrics are null */
        group_by?: 'device' | 'os' | 'country' | 'event_type';
        /** @description minute (default; range default 1 hour, at most 24 hours), hour (default 24 hours, at most 31 days), day (default 30 days, at most 1096 days). from and to are widened to whole periods. */
        interval?: 'minute' | 'hour' | 'day';
        /** @description ISO-8601, exclusive; default now */
        to?: unknown;
        /** @description ISO-8601 (with Z or an offset, or a date); default: the interval’s default span before to */
        from?: unknown;
      };
      header?: {
        /** @description The ETag of an answer held: 304 without a body while it is still the answer */
        'If-None-Match'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The answer in its envelope */
      200: {
        headers: {
          /** @description The answer’s identity; send it back in If-None-Match for a 304 */
          ETag?: string;
          /** @description Seconds since the data’s time (data_time) */
          Age?: string;
          /** @description Reusable until the answer turns stale; no-cache once it is */
          'Cache-Control'?: string;
          /** @description redis (the hot tier) or clickhouse (computed for this request) */
          'X-Answer-Source'?: string;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "data": {
           *         "interval": "hour",
           *         "group_by": "device",
           *         "from": "2026-11-25T12:00:00.000Z",
           *         "to": "2026-11-26T13:00:00.000Z",
           *         "points": [
           *           {
           *             "period": "2026-11-26T12:00:00.000Z",
           *             "group": "mobile",
           *             "active_users": 1204,
           *             "sessions": 1577,
           *             "events": 20113,
           *             "sessions_started": 1390,
           *             "session_duration_p50_ms": 184000,
           *             "session_duration_p90_ms": 912000,
           *             "bounce_rate": 0.31,
           *             "events_per_session": 12.8
           *           }
           *         ]
           *       },
           *       "data_time": "2026-11-26T12:41:07.000Z",
           *       "computed_at": "2026-11-26T12:41:07.000Z",
           *       "age_ms": 4000,
           *       "source": "redis",
           *       "stale": false,
           *       "stale_after_ms": 35000
           *     }
           */
          'application/json': components['schemas']['EngagementSummaryAnswerDto'];
        };
      };
      /** @description Not Modified: If-None-Match named the current answer’s ETag */
      304: {
        headers: {
          /** @description The answer’s identity; send it back in If-None-Match for a 304 */
          ETag?: string;
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description A malformed time, from not before to, a range too long for the interval, or an unknown interval or group_by. Also an unknown query parameter, or one given twice. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "tag:social-pulse,2026:problem:validation",
           *       "title": "Bad Request",
           *       "status": 400,
           *       "detail": "group_by must be one of device, os, country, event_type",
           *       "instance": "/v1/engagement/summary",
           *       "errors": [
           *         {
           *           "parameter": "group_by",
           *           "detail": "group_by must be one of device, os, country, event_type"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ValidationProblemDto'];
        };
      };
      /** @description No API key, or an unknown one. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "missing API key: send X-API-Key",
           *       "instance": "/v1/engagement/summary"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDetailsDto'];
        };
      };
      /** @description The key’s scope does not cover read (today every key’s does). */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "tag:social-pulse,2026:problem:insufficient-scope",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "this route needs an API key of scope admin",
           *       "instance": "/v1/engagement/summary",
           *       "required_scope": "admin"
           *     }
           */
          'application/problem+json': components['schemas']['InsufficientScopeProblemDto'];
        };
      };
      /** @description The key made more requests than its rate allows (API_KEY_RATE_LIMIT, API_KEY_RATE_BURST). */
      429: {
        headers: {
          /** @description Seconds to wait before asking again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "tag:social-pulse,2026:problem:rate-limited",
           *       "title": "Too Many Requests",
           *       "status": 429,
           *       "detail": "rate limit of 50 requests per second for this API key exceeded; retry in 1 s",
           *       "instance": "/v1/engagement/summary",
           *       "retry_after": 1
           *     }
           */
          'application/problem+json': components['schemas']['RateLimitedProblemDto'];
        };
      };
      /** @description No answer can be served: ClickHouse failed and the last good answer is missing or too old, or both Redis and ClickHouse failed. */
      503: {
        headers: {
          /** @description Seconds to wait before asking again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "tag:social-pulse,2026:problem:unavailable",
           *       "title": "Service Unavailable",
           *       "status": 503,
           *       "detail": "the answer cannot be served now: clickhouse: no answer within 3000 ms; no last good answer",
           *       "instance": "/v1/engagement/summary",
           *       "dependencies": [
           *         "clickhouse"
           *       ],
           *       "reasons": [
           *         {
           *           "dependency": "clickhouse",
           *           "reason": "timeout"
           *         }
           *       ],
           *       "retry_after": 5
           *     }
           */
          'application/problem+json': components['schemas']['UnavailableProblemDto'];
        };
      };
    };
  };
  EngagementController_live: {
    parameters: {
      query?: never;
      header?: {
        /** @description The ETag of an answer held: 304 without a body while it is still the answer */
        'If-None-Match'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The answer in its envelope */
      200: {
        headers: {
          /** @description The answer’s identity; send it back in If-None-Match for a 304 */
          ETag?: string;
          /** @description Seconds since the data’s time (data_time) */
          Age?: string;
          /** @description Reusable until the answer turns stale; no-cache once it is */
          'Cache-Control'?: string;
          /** @description redis (the hot tier) or clickhouse (computed for this request) */
          'X-Answer-Source'?: string;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "data": {
           *         "active_users": 812,
           *         "active_sessions": 840,
           *         "users_last_5_minutes": 655,
           *         "sessions_last_5_minutes": 671,
           *         "events_last_5_minutes": 9420
           *       },
           *       "data_time": "2026-11-26T12:41:07.000Z",
           *       "computed_at": "2026-11-26T12:41:07.000Z",
           *       "age_ms": 900,
           *       "source": "redis",
           *       "stale": false,
           *       "stale_after_ms": 7000
           *     }
           */
          'application/json': components['schemas']['LiveEngagementAnswerDto'];
        };
      };
      /** @description Not Modified: If-None-Match named the current answer’s ETag */
      304: {
        headers: {
          /** @description The answer’s identity; send it back in If-None-Match for a 304 */
          ETag?: string;
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description The route reads no parameters: any is unknown. Also an unknown query parameter, or one given twice. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "tag:social-pulse,2026:problem:validation",
           *       "title": "Bad Request",
           *       "status": 400,
           *       "detail": "unknown query parameter window; this route reads none",
           *       "instance": "/v1/engagement/live",
           *       "errors": [
           *         {
           *           "parameter": "window",
           *           "detail": "unknown query parameter window; this route reads none"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ValidationProblemDto'];
        };
      };
      /** @description No API key, or an unknown one. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "missing API key: send X-API-Key",
           *       "instance": "/v1/engagement/live"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDetailsDto'];
        };
      };
      /** @description The key’s scope does not cover read (today every key’s does). */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "tag:social-pulse,2026:problem:insufficient-scope",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "this route needs an API key of scope admin",
           *       "instance": "/v1/engagement/live",
           *       "required_scope": "admin"
           *     }
           */
          'application/problem+json': components['schemas']['InsufficientScopeProblemDto'];
        };
      };
      /** @description The key made more requests than its rate allows (API_KEY_RATE_LIMIT, API_KEY_RATE_BURST). */
      429: {
        headers: {
          /** @description Seconds to wait before asking again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "tag:social-pulse,2026:problem:rate-limited",
           *       "title": "Too Many Requests",
           *       "status": 429,
           *       "detail": "rate limit of 50 requests per second for this API key exceeded; retry in 1 s",
           *       "instance": "/v1/engagement/live",
           *       "retry_after": 1
           *     }
           */
          'application/problem+json': components['schemas']['RateLimitedProblemDto'];
        };
      };
      /** @description No answer can be served: ClickHouse failed and the last good answer is missing or too old, or both Redis and ClickHouse failed. */
      503: {
        headers: {
          /** @description Seconds to wait before asking again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "tag:social-pulse,2026:problem:unavailable",
           *       "title": "Service Unavailable",
           *       "status": 503,
           *       "detail": "the answer cannot be served now: clickhouse: no answer within 3000 ms; no last good answer",
           *       "instance": "/v1/engagement/live",
           *       "dependencies": [
           *         "clickhouse"
           *       ],
           *       "reasons": [
           *         {
           *           "dependency": "clickhouse",
           *           "reason": "timeout"
           *         }
           *       ],
           *       "retry_after": 5
           *     }
           */
          'application/problem+json': components['schemas']['UnavailableProblemDto'];
        };
      };
    };
  };
  UsersController_sessions: {
    parameters: {
      query?: {
        /** @description Sessions at most, 1 to 500, default 100 */
        limit?: number;
        /** @description ISO-8601, exclusive; default now. At most 90 days after from */
        to?: unknown;
        /** @description ISO-8601; default 7 days before to */
        from?: unknown;
      };
      header?: {
        /** @description The ETag of an answer held: 304 without a body while it is still the answer */
        'If-None-Match'?: string;
      };
      path: {
        /** @description The user id, or a: and the anonymous id of a visitor */
        user_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The answer in its envelope */
      200: {
        headers: {
          /** @description The answer’s identity; send it back in If-None-Match for a 304 */
          ETag?: string;
          /** @description Seconds since the data’s time (data_time) */
          Age?: string;
          /** @description Reusable until the answer turns stale; no-cache once it is */
          'Cache-Control'?: string;
          /** @description redis (the hot tier) or clickhouse (computed for this request) */
          'X-Answer-Source'?: string;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "data": {
           *         "user_id": "u-1042",
           *         "from": "2026-11-19T12:41:00.000Z",
           *         "to": "2026-11-26T12:41:00.000Z",
           *         "sessions": [
           *           {
           *             "session_id": "0b6a1f4e-8d3c-4c8e-9f59-2d1c7a9e4b10",
           *             "client_session_id": "s-7f3a",
           *             "session_start": "2026-11-26T12:02:11.000Z",
           *             "session_end": "2026-11-26T12:20:45.000Z",
           *             "duration_ms": 1114000,
           *             "events": 37,
           *             "page_views": 9,
           *             "distinct_pages": 6,
           *             "entry_page": "/feed",
           *             "exit_page": "/post/8812",
           *             "posts_created": 1,
           *             "likes": 12,
           *             "comments": 2,
           *             "shares": 0,
           *             "device_type": "mobile",
           *             "os": "iOS",
           *             "country": "NL",
           *             "is_bounce": false,
           *             "status": "closed"
           *           }
           *         ],
           *         "has_more": false
           *       },
           *       "data_time": "2026-11-26T12:41:07.000Z",
           *       "computed_at": "2026-11-26T12:41:07.000Z",
           *       "age_ms": 1200,
           *       "source": "redis",
           *       "stale": false,
           *       "stale_after_ms": 10000
           *     }
           */
          'application/json': components['schemas']['UserSessionsAnswerDto'];
        };
      };
      /** @description Not Modified: If-None-Match named the current answer’s ETag */
      304: {
        headers: {
          /** @description The answer’s identity; send it back in If-None-Match for a 304 */
          ETag?: string;
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description A malformed time, from not before to, a range over 90 days or limit out of range. Also an unknown query parameter, or one given twice. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "tag:social-pulse,2026:problem:validation",
           *       "title": "Bad Request",
           *       "status": 400,
           *       "detail": "from and to must be at most 90 days apart",
           *       "instance": "/v1/users/u-1042/sessions",
           *       "errors": [
           *         {
           *           "detail": "from and to must be at most 90 days apart"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ValidationProblemDto'];
        };
      };
      /** @description No API key, or an unknown one. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "missing API key: send X-API-Key",
           *       "instance": "/v1/users/u-1042/sessions"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDetailsDto'];
        };
      };
      /** @description The key is valid but of scope read; this route needs admin. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "tag:social-pulse,2026:problem:insufficient-scope",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "this route needs an API key of scope admin",
           *       "instance": "/v1/users/u-1042/sessions",
           *       "required_scope": "admin"
           *     }
           */
          'application/problem+json': components['schemas']['InsufficientScopeProblemDto'];
        };
      };
      /** @description The key made more requests than its rate allows (API_KEY_RATE_LIMIT, API_KEY_RATE_BURST). */
      429: {
        headers: {
          /** @description Seconds to wait before asking again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "tag:social-pulse,2026:problem:rate-limited",
           *       "title": "Too Many Requests",
           *       "status": 429,
           *       "detail": "rate limit of 50 requests per second for this API key exceeded; retry in 1 s",
           *       "instance": "/v1/users/u-1042/sessions",
           *       "retry_after": 1
           *     }
           */
          'application/problem+json': components['schemas']['RateLimitedProblemDto'];
        };
      };
      /** @description No answer can be served: ClickHouse failed and the last good answer is missing or too old, or both Redis and ClickHouse failed. */
      503: {
        headers: {
          /** @description Seconds to wait before asking again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "tag:social-pulse,2026:problem:unavailable",
           *       "title": "Service Unavailable",
           *       "status": 503,
           *       "detail": "the answer cannot be served now: clickhouse: no answer within 3000 ms; no last good answer",
           *       "instance": "/v1/users/u-1042/sessions",
           *       "dependencies": [
           *         "clickhouse"
           *       ],
           *       "reasons": [
           *         {
           *           "dependency": "clickhouse",
           *           "reason": "timeout"
           *         }
           *       ],
           *       "retry_after": 5
           *     }
           */
          'application/problem+json': components['schemas']['UnavailableProblemDto'];
        };
      };
    };
  };
  AdsController_performance: {
    parameters: {
      query?: {
        /** @description Only this ad (1 to 128 characters) */
        ad_id?: unknown;
        /** @description Only this campaign (1 to 128 characters) */
        campaign_id?: unknown;
        /** @description Comma-separated, zero or more of device, os, country, age_band, gender, currency, each at most once: one series per combination. Money is always per currency (in each point’s money list); with currency here the counts are too. */
        group_by?: unknown;
        /** @description minute (default; range default 1 hour, at most 24 hours; minutes are kept 35 days), hour (default 24 hours, at most 31 days; kept 400 days), day (default 30 days, at most 1827 days; kept 5 years). from and to are widened to whole periods. */
        interval?: 'minute' | 'hour' | 'day';
        /** @description ISO-8601, exclusive; default now */
        to?: unknown;
        /** @description ISO-8601 (with Z or an offset, or a date); default: the interval’s default span before to */
        from?: unknown;
      };
      header?: {
        /** @description The ETag of an answer held: 304 without a body while it is still the answer */
        'If-None-Match'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The answer in its envelope */
      200: {
        headers: {
          /** @description The answer’s identity; send it back in If-None-Match for a 304 */
          ETag?: string;
          /** @description Seconds since the data’s time (data_time) */
          Age?: string;
          /** @description Reusable until the answer turns stale; no-cache once it is */
          'Cache-Control'?: string;
          /** @description redis (the hot tier) or clickhouse (computed for this request) */
          'X-Answer-Source'?: string;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "data": {
           *         "interval": "hour",
           *         "group_by": [
           *           "device"
           *         ],
           *         "campaign_id": "spring-sale",
           *         "ad_id": null,
           *         "from": "2026-11-25T12:00:00.000Z",
           *         "to": "2026-11-26T13:00:00.000Z",
           *         "points": [
           *           {
           *             "period": "2026-11-26T12:00:00.000Z",
           *             "group": {
           *               "device": "mobile"
           *             },
           *             "impressions": 52000,
           *             "users_reached": 31400,
           *             "clicks": 910,
           *             "attributed_clicks": 902,
           *             "unattributed_clicks": 8,
           *             "conversions": 41,
           *             "unattributed_conversions": 2,
           *             "ctr": 0.0175,
           *             "conversion_rate": 0.045055,
           *             "money": [
           *               {
           *                 "currency": "EUR",
           *                 "conversions": 41,
           *                 "spend_micros": "182500000",
           *                 "revenue_micros": "1230000000",
           *                 "unattributed_revenue_micros": "60000000",
           *                 "cpa_micros": "4451219",
           *                 "roas": 6.739726
           *               }
           *             ]
           *           }
           *         ]
           *       },
           *       "data_time": "2026-11-26T12:41:07.000Z",
           *       "computed_at": "2026-11-26T12:41:06.000Z",
           *       "age_ms": 1000,
           *       "source": "redis",
           *       "stale": false,
           *       "stale_after_ms": 35000
           *     }
           */
          'application/json': components['schemas']['AdsPerformanceAnswerDto'];
        };
      };
      /** @description Not Modified: If-None-Match named the current answer’s ETag */
      304: {
        headers: {
          /** @description The answer’s identity; send it back in If-None-Match for a 304 */
          ETag?: string;
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description A malformed time, from not before to, a range too long for the interval, an unknown interval, an unknown or repeated group_by name, or an empty or over-long campaign_id or ad_id. Also an unknown query parameter, or one given twice. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "tag:social-pulse,2026:problem:validation",
           *       "title": "Bad Request",
           *       "status": 400,
           *       "detail": "group_by names device more than once",
           *       "instance": "/v1/ads/performance",
           *       "errors": [
           *         {
           *           "parameter": "group_by",
           *           "detail": "group_by names device more than once"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ValidationProblemDto'];
        };
      };
      /** @description No API key, or an unknown one. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "missing API key: send X-API-Key",
           *       "instance": "/v1/ads/performance"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDetailsDto'];
        };
      };
      /** @description The key’s scope does not cover read (today every key’s does). */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "tag:social-pulse,2026:problem:insufficient-scope",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "this route needs an API key of scope admin",
           *       "instance": "/v1/ads/performance",
           *       "required_scope": "admin"
           *     }
           */
          'application/problem+json': components['schemas']['InsufficientScopeProblemDto'];
        };
      };
      /** @description The key made more requests than its rate allows (API_KEY_RATE_LIMIT, API_KEY_RATE_BURST). */
      429: {
        headers: {
          /** @description Seconds to wait before asking again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "tag:social-pulse,2026:problem:rate-limited",
           *       "title": "Too Many Requests",
           *       "status": 429,
           *       "detail": "rate limit of 50 requests per second for this API key exceeded; retry in 1 s",
           *       "instance": "/v1/ads/performance",
           *       "retry_after": 1
           *     }
           */
          'application/problem+json': components['schemas']['RateLimitedProblemDto'];
        };
      };
      /** @description No answer can be served: ClickHouse failed and the last good answer is missing or too old, or both Redis and ClickHouse failed. */
      503: {
        headers: {
          /** @description Seconds to wait before asking again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "tag:social-pulse,2026:problem:unavailable",
           *       "title": "Service Unavailable",
           *       "status": 503,
           *       "detail": "the answer cannot be served now: clickhouse: no answer within 3000 ms; no last good answer",
           *       "instance": "/v1/ads/performance",
           *       "dependencies": [
           *         "clickhouse"
           *       ],
           *       "reasons": [
           *         {
           *           "dependency": "clickhouse",
           *           "reason": "timeout"
           *         }
           *       ],
           *       "retry_after": 5
           *     }
           */
          'application/problem+json': components['schemas']['UnavailableProblemDto'];
        };
      };
    };
  };
  AdsController_campaigns: {
    parameters: {
      query?: {
        /** @description Campaigns at most per currency, 1 to 100, default 20 */
        limit?: number;
        /** @description ISO-8601, exclusive; default now. At most 1827 days after from. Ranges up to 6 hours are read in whole minutes, up to 31 days in whole hours, longer ones in whole days (and so widened to them). */
        to?: unknown;
        /** @description ISO-8601; default: 24 hours before to (whole hours, up to the current one) */
        from?: unknown;
      };
      header?: {
        /** @description The ETag of an answer held: 304 without a body while it is still the answer */
        'If-None-Match'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The answer in its envelope */
      200: {
        headers: {
          /** @description The answer’s identity; send it back in If-None-Match for a 304 */
          ETag?: string;
          /** @description Seconds since the data’s time (data_time) */
          Age?: string;
          /** @description Reusable until the answer turns stale; no-cache once it is */
          'Cache-Control'?: string;
          /** @description redis (the hot tier) or clickhouse (computed for this request) */
          'X-Answer-Source'?: string;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "data": {
           *         "grain": "hour",
           *         "from": "2026-11-25T12:00:00.000Z",
           *         "to": "2026-11-26T13:00:00.000Z",
           *         "limit": 20,
           *         "campaigns": [
           *           {
           *             "rank": 1,
           *             "campaign_id": "spring-sale",
           *             "currency": "EUR",
           *             "impressions": 1204000,
           *             "clicks": 20410,
           *             "conversions": 933,
           *             "spend_micros": "4120000000",
           *             "revenue_micros": "27800000000",
           *             "ctr": 0.016952,
           *             "cpa_micros": "4415862",
           *             "roas": 6.747573
           *           }
           *         ]
           *       },
           *       "data_time": "2026-11-26T12:41:07.000Z",
           *       "computed_at": "2026-11-26T12:41:06.000Z",
           *       "age_ms": 1000,
           *       "source": "redis",
           *       "stale": false,
           *       "stale_after_ms": 35000
           *     }
           */
          'application/json': components['schemas']['AdsCampaignsAnswerDto'];
        };
      };
      /** @description Not Modified: If-None-Match named the current answer’s ETag */
      304: {
        headers: {
          /** @description The answer’s identity; send it back in If-None-Match for a 304 */
          ETag?: string;
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description A malformed time, from not before to, a range over 1827 days or limit out of range. Also an unknown query parameter, or one given twice. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "tag:social-pulse,2026:problem:validation",
           *       "title": "Bad Request",
           *       "status": 400,
           *       "detail": "limit must be at most 100",
           *       "instance": "/v1/ads/campaigns",
           *       "errors": [
           *         {
           *           "parameter": "limit",
           *           "detail": "limit must be at most 100"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ValidationProblemDto'];
        };
      };
      /** @description No API key, or an unknown one. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "missing API key: send X-API-Key",
           *       "instance": "/v1/ads/campaigns"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDetailsDto'];
        };
      };
      /** @description The key’s scope does not cover read (today every key’s does). */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "tag:social-pulse,2026:problem:insufficient-scope",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "this route needs an API key of scope admin",
           *       "instance": "/v1/ads/campaigns",
           *       "required_scope": "admin"
           *     }
           */
          'application/problem+json': components['schemas']['InsufficientScopeProblemDto'];
        };
      };
      /** @description The key made more requests than its rate allows (API_KEY_RATE_LIMIT, API_KEY_RATE_BURST). */
      429: {
        headers: {
          /** @description Seconds to wait before asking again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "tag:social-pulse,2026:problem:rate-limited",
           *       "title": "Too Many Requests",
           *       "status": 429,
           *       "detail": "rate limit of 50 requests per second for this API key exceeded; retry in 1 s",
           *       "instance": "/v1/ads/campaigns",
           *       "retry_after": 1
           *     }
           */
          'application/problem+json': components['schemas']['RateLimitedProblemDto'];
        };
      };
      /** @description No answer can be served: ClickHouse failed and the last good answer is missing or too old, or both Redis and ClickHouse failed. */
      503: {
        headers: {
          /** @description Seconds to wait before asking again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "tag:social-pulse,2026:problem:unavailable",
           *       "title": "Service Unavailable",
           *       "status": 503,
           *       "detail": "the answer cannot be served now: clickhouse: no answer within 3000 ms; no last good answer",
           *       "instance": "/v1/ads/campaigns",
           *       "dependencies": [
           *         "clickhouse"
           *       ],
           *       "reasons": [
           *         {
           *           "dependency": "clickhouse",
           *           "reason": "timeout"
           *         }
           *       ],
           *       "retry_after": 5
           *     }
           */
          'application/problem+json': components['schemas']['UnavailableProblemDto'];
        };
      };
    };
  };
  CanaryController_trendingCanaries: {
    parameters: {
      query?: {
        /** @description The horizon, default 1m */
        window?: '1m' | '5m' | '15m';
      };
      header?: {
        /** @description The ETag of an answer held: 304 without a body while it is still the answer */
        'If-None-Match'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The answer in its envelope */
      200: {
        headers: {
          /** @description The answer’s identity; send it back in If-None-Match for a 304 */
          ETag?: string;
          /** @description Seconds since the data’s time (data_time) */
          Age?: string;
          /** @description Reusable until the answer turns stale; no-cache once it is */
          'Cache-Control'?: string;
          /** @description redis (the hot tier) or clickhouse (computed for this request) */
          'X-Answer-Source'?: string;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "data": {
           *         "window": "1m",
           *         "window_start": "2026-11-26T12:00:00.000Z",
           *         "window_end": "2026-11-26T12:01:00.000Z",
           *         "topics": [
           *           {
           *             "rank": 51,
           *             "topic": "CANARY:canary-mifp2x4k-7",
           *             "score": 9.42,
           *             "mentions": 412,
           *             "unique_authors": 301,
           *             "weighted_mentions": 355.1,
           *             "damping": 0.138,
           *             "bot_mentions": 3,
           *             "baseline": 40.2,
           *             "velocity": 7.12
           *           }
           *         ]
           *       },
           *       "data_time": "2026-11-26T12:01:00.000Z",
           *       "computed_at": "2026-11-26T12:01:00.850Z",
           *       "age_ms": 1450,
           *       "source": "clickhouse",
           *       "stale": false,
           *       "stale_after_ms": 13000
           *     }
           */
          'application/json': components['schemas']['TrendingAnswerDto'];
        };
      };
      /** @description Not Modified: If-None-Match named the current answer’s ETag */
      304: {
        headers: {
          /** @description The answer’s identity; send it back in If-None-Match for a 304 */
          ETag?: string;
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Unknown window. Also an unknown query parameter, or one given twice. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "tag:social-pulse,2026:problem:validation",
           *       "title": "Bad Request",
           *       "status": 400,
           *       "detail": "window must be one of 1m, 5m, 15m",
           *       "instance": "/v1/canary/trending",
           *       "errors": [
           *         {
           *           "parameter": "window",
           *           "detail": "window must be one of 1m, 5m, 15m"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ValidationProblemDto'];
        };
      };
      /** @description No API key, or an unknown one. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "missing API key: send X-API-Key",
           *       "instance": "/v1/canary/trending"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDetailsDto'];
        };
      };
      /** @description The key is valid but of scope read; this route needs admin. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "tag:social-pulse,2026:problem:insufficient-scope",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "this route needs an API key of scope admin",
           *       "instance": "/v1/canary/trending",
           *       "required_scope": "admin"
           *     }
           */
          'application/problem+json': components['schemas']['InsufficientScopeProblemDto'];
        };
      };
      /** @description The key made more requests than its rate allows (API_KEY_RATE_LIMIT, API_KEY_RATE_BURST). */
      429: {
        headers: {
          /** @description Seconds to wait before asking again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "tag:social-pulse,2026:problem:rate-limited",
           *       "title": "Too Many Requests",
           *       "status": 429,
           *       "detail": "rate limit of 50 requests per second for this API key exceeded; retry in 1 s",
           *       "instance": "/v1/canary/trending",
           *       "retry_after": 1
           *     }
           */
          'application/problem+json': components['schemas']['RateLimitedProblemDto'];
        };
      };
      /** @description No answer can be served: ClickHouse failed and the last good answer is missing or too old, or both Redis and ClickHouse failed. */
      503: {
        headers: {
          /** @description Seconds to wait before asking again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "tag:social-pulse,2026:problem:unavailable",
           *       "title": "Service Unavailable",
           *       "status": 503,
           *       "detail": "the answer cannot be served now: clickhouse: no answer within 3000 ms; no last good answer",
           *       "instance": "/v1/canary/trending",
           *       "dependencies": [
           *         "clickhouse"
           *       ],
           *       "reasons": [
           *         {
           *           "dependency": "clickhouse",
           *           "reason": "timeout"
           *         }
           *       ],
           *       "retry_after": 5
           *     }
           */
          'application/problem+json': components['schemas']['UnavailableProblemDto'];
        };
      };
    };
  };
  CanaryController_sessionCanaries: {
    parameters: {
      query?: never;
      header?: {
        /** @description The ETag of an answer held: 304 without a body while it is still the answer */
        'If-None-Match'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The answer in its envelope */
      200: {
        headers: {
          /** @description The answer’s identity; send it back in If-None-Match for a 304 */
          ETag?: string;
          /** @description Seconds since the data’s time (data_time) */
          Age?: string;
          /** @description Reusable until the answer turns stale; no-cache once it is */
          'Cache-Control'?: string;
          /** @description redis (the hot tier) or clickhouse (computed for this request) */
          'X-Answer-Source'?: string;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "data": {
           *         "sessions": [
           *           {
           *             "user_id": "CANARY:canary-mifp2x4k-8",
           *             "session_id": "01937a2e-4b5c-7d6e-8f90-a1b2c3d4e5f6",
           *             "session_start": "2026-11-26T12:41:03.412Z",
           *             "session_end": "2026-11-26T12:41:03.412Z",
           *             "events": 1,
           *             "status": "active"
           *           },
           *           {
           *             "user_id": "CANARY:canary-mifp2x4k-7",
           *             "session_id": "01937a2e-3a1b-7c2d-9e3f-405162738495",
           *             "session_start": "2026-11-26T12:40:58.398Z",
           *             "session_end": "2026-11-26T12:40:58.398Z",
           *             "events": 1,
           *             "status": "active"
           *           }
           *         ]
           *       },
           *       "data_time": "2026-11-26T12:41:07.000Z",
           *       "computed_at": "2026-11-26T12:41:07.000Z",
           *       "age_ms": 0,
           *       "source": "clickhouse",
           *       "stale": false,
           *       "stale_after_ms": 5000
           *     }
           */
          'application/json': components['schemas']['CanarySessionsAnswerDto'];
        };
      };
      /** @description Not Modified: If-None-Match named the current answer’s ETag */
      304: {
        headers: {
          /** @description The answer’s identity; send it back in If-None-Match for a 304 */
          ETag?: string;
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description The route reads no parameters (it reads the last 5 minutes): any is unknown. Also an unknown query parameter, or one given twice. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "tag:social-pulse,2026:problem:validation",
           *       "title": "Bad Request",
           *       "status": 400,
           *       "detail": "unknown query parameter window; this route reads none",
           *       "instance": "/v1/canary/sessions",
           *       "errors": [
           *         {
           *           "parameter": "window",
           *           "detail": "unknown query parameter window; this route reads none"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ValidationProblemDto'];
        };
      };
      /** @description No API key, or an unknown one. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "missing API key: send X-API-Key",
           *       "instance": "/v1/canary/sessions"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDetailsDto'];
        };
      };
      /** @description The key is valid but of scope read; this route needs admin. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "tag:social-pulse,2026:problem:insufficient-scope",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "this route needs an API key of scope admin",
           *       "instance": "/v1/canary/sessions",
           *       "required_scope": "admin"
           *     }
           */
          'application/problem+json': components['schemas']['InsufficientScopeProblemDto'];
        };
      };
      /** @description The key made more requests than its rate allows (API_KEY_RATE_LIMIT, API_KEY_RATE_BURST). */
      429: {
        headers: {
          /** @description Seconds to wait before asking again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "tag:social-pulse,2026:problem:rate-limited",
           *       "title": "Too Many Requests",
           *       "status": 429,
           *       "detail": "rate limit of 50 requests per second for this API key exceeded; retry in 1 s",
           *       "instance": "/v1/canary/sessions",
           *       "retry_after": 1
           *     }
           */
          'application/problem+json': components['schemas']['RateLimitedProblemDto'];
        };
      };
      /** @description No answer can be served: ClickHouse failed and the last good answer is missing or too old, or both Redis and ClickHouse failed. */
      503: {
        headers: {
          /** @description Seconds to wait before asking again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "tag:social-pulse,2026:problem:unavailable",
           *       "title": "Service Unavailable",
           *       "status": 503,
           *       "detail": "the answer cannot be served now: clickhouse: no answer within 3000 ms; no last good answer",
           *       "instance": "/v1/canary/sessions",
           *       "dependencies": [
           *         "clickhouse"
           *       ],
           *       "reasons": [
           *         {
           *           "dependency": "clickhouse",
           *           "reason": "timeout"
           *         }
           *       ],
           *       "retry_after": 5
           *     }
           */
          'application/problem+json': components['schemas']['UnavailableProblemDto'];
        };
      };
    };
  };
  CanaryController_adCanaries: {
    parameters: {
      query?: never;
      header?: {
        /** @description The ETag of an answer held: 304 without a body while it is still the answer */
        'If-None-Match'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The answer in its envelope */
      200: {
        headers: {
          /** @description The answer’s identity; send it back in If-None-Match for a 304 */
          ETag?: string;
          /** @description Seconds since the data’s time (data_time) */
          Age?: string;
          /** @description Reusable until the answer turns stale; no-cache once it is */
          'Cache-Control'?: string;
          /** @description redis (the hot tier) or clickhouse (computed for this request) */
          'X-Answer-Source'?: string;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "data": {
           *         "ads": [
           *           {
           *             "period": "2026-11-26T12:41:00.000Z",
           *             "campaign_id": "CANARY:pulse-canary",
           *             "ad_id": "canary-mifp2x4k-8",
           *             "impressions": 1
           *           },
           *           {
           *             "period": "2026-11-26T12:40:00.000Z",
           *             "campaign_id": "CANARY:pulse-canary",
           *             "ad_id": "canary-mifp2x4k-7",
           *             "impressions": 1
           *           }
           *         ]
           *       },
           *       "data_time": "2026-11-26T12:41:07.000Z",
           *       "computed_at": "2026-11-26T12:41:07.000Z",
           *       "age_ms": 0,
           *       "source": "clickhouse",
           *       "stale": false,
           *       "stale_after_ms": 5000
           *     }
           */
          'application/json': components['schemas']['CanaryAdsAnswerDto'];
        };
      };
      /** @description Not Modified: If-None-Match named the current answer’s ETag */
      304: {
        headers: {
          /** @description The answer’s identity; send it back in If-None-Match for a 304 */
          ETag?: string;
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description The route reads no parameters (it reads the last 5 minutes): any is unknown. Also an unknown query parameter, or one given twice. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "tag:social-pulse,2026:problem:validation",
           *       "title": "Bad Request",
           *       "status": 400,
           *       "detail": "unknown query parameter window; this route reads none",
           *       "instance": "/v1/canary/ads",
           *       "errors": [
           *         {
           *           "parameter": "window",
           *           "detail": "unknown query parameter window; this route reads none"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ValidationProblemDto'];
        };
      };
      /** @description No API key, or an unknown one. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "missing API key: send X-API-Key",
           *       "instance": "/v1/canary/ads"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDetailsDto'];
        };
      };
      /** @description The key is valid but of scope read; this route needs admin. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "tag:social-pulse,2026:problem:insufficient-scope",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "this route needs an API key of scope admin",
           *       "instance": "/v1/canary/ads",
           *       "required_scope": "admin"
           *     }
           */
          'application/problem+json': components['schemas']['InsufficientScopeProblemDto'];
        };
      };
      /** @description The key made more requests than its rate allows (API_KEY_RATE_LIMIT, API_KEY_RATE_BURST). */
      429: {
        headers: {
          /** @description Seconds to wait before asking again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "tag:social-pulse,2026:problem:rate-limited",
           *       "title": "Too Many Requests",
           *       "status": 429,
           *       "detail": "rate limit of 50 requests per second for this API key exceeded; retry in 1 s",
           *       "instance": "/v1/canary/ads",
           *       "retry_after": 1
           *     }
           */
          'application/problem+json': components['schemas']['RateLimitedProblemDto'];
        };
      };
      /** @description No answer can be served: ClickHouse failed and the last good answer is missing or too old, or both Redis and ClickHouse failed. */
      503: {
        headers: {
          /** @description Seconds to wait before asking again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "tag:social-pulse,2026:problem:unavailable",
           *       "title": "Service Unavailable",
           *       "status": 503,
           *       "detail": "the answer cannot be served now: clickhouse: no answer within 3000 ms; no last good answer",
           *       "instance": "/v1/canary/ads",
           *       "dependencies": [
           *         "clickhouse"
           *       ],
           *       "reasons": [
           *         {
           *           "dependency": "clickhouse",
           *           "reason": "timeout"
           *         }
           *       ],
           *       "retry_after": 5
           *     }
           */
          'application/problem+json': components['schemas']['UnavailableProblemDto'];
        };
      };
    };
  };
  AnswerStreamController_open: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description An event stream: `ready` ({ live, answers }) first; then `answer` ({ answer, data_time, computed_at }) each time a refresh changed an answer, `status` ({ live }) when the API lost or regained its subscription (updates in between were missed: refetch), and a `: heartbeat` comment every 15 s. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description No API key, or an unknown one. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "about:blank",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "missing API key: send X-API-Key",
           *       "instance": "/v1/stream"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemDetailsDto'];
        };
      };
      /** @description The key’s scope does not cover read (today every key’s does). */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "tag:social-pulse,2026:problem:insufficient-scope",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "this route needs an API key of scope admin",
           *       "instance": "/v1/stream",
           *       "required_scope": "admin"
           *     }
           */
          'application/problem+json': components['schemas']['InsufficientScopeProblemDto'];
        };
      };
      /** @description The key made more requests than its rate allows (API_KEY_RATE_LIMIT, API_KEY_RATE_BURST). */
      429: {
        headers: {
          /** @description Seconds to wait before asking again */
          'Retry-After'?: string;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "tag:social-pulse,2026:problem:rate-limited",
           *       "title": "Too Many Requests",
           *       "status": 429,
           *       "detail": "rate limit of 50 requests per second for this API key exceeded; retry in 1 s",
           *       "instance": "/v1/stream",
           *       "retry_after": 1
           *     }
           */
          'application/problem+json': components['schemas']['RateLimitedProblemDto'];
        };
      };
      /** @description This API process holds as many streams as it may. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
}
