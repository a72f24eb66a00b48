-- Issue 12: ad performance, written by the Ad Performance Calculator job through its exactly-once
-- sink, and rolled up to minute, hour and day facts.

-- One row per change the job made to one minute's measures for one combination of dimensions: the
-- job sums its changes per row for about a second and writes the difference (early results), and
-- a late event restates an older minute with a new change row (a conversion days late is credited
-- to its click's minute; a conversion first counted as unattributed moves to its click with -1 / +1).
-- Measures are therefore signed deltas, and a row's value is the sum of its changes: exact in any
-- order, with no replacing engine and no FINAL. A replayed insert is dropped by its deduplication
-- token here and in every view (deduplicate_blocks_in_dependent_materialized_views is set by the
-- sink), so a replay neither loses nor doubles a change.
-- `minute` is the event's minute, or for attributed conversions the click's. Dimensions are the
-- event's own (device from its user agent, demographics from the profile valid at its event time);
-- an attributed conversion takes its click's. Unknowns are 'unknown', never dropped.
-- `reached` holds the visitors (user_id, or 'a:' and the anonymous id) whose impressions the change
-- adds, for the uniq state of users reached. Money is integer micros in the row's currency.
-- TTL 30 days: the changes are the audit trail of restatements; the facts below are what is read.
CREATE TABLE IF NOT EXISTS ad_performance_changes
(
    minute DateTime('UTC'),
    campaign_id String,
    ad_id String,
    device_type LowCardinality(String),
    os LowCardinality(String),
    country LowCardinality(String),
    age_band LowCardinality(String),
    gender LowCardinality(String),
    currency LowCardinality(String),
    impressions Int64,
    clicks Int64,
    attributed_clicks Int64,
    conversions Int64,
    unattributed_conversions Int64,
    spend_micros Int64,
    revenue_micros Int64,
    unattributed_revenue_micros Int64,
    reached Array(String),
    changed_at DateTime64(3, 'UTC')
)
ENGINE = MergeTree
PARTITION BY toDate(minute)
ORDER BY (minute, campaign_id, ad_id)
TTL minute + INTERVAL 30 DAY
SETTINGS non_replicated_deduplication_window = 1000;

-- The facts: measures per minute, hour and day as sums and the users reached as a uniq state, so
-- any period, campaign set or segment merges exactly. Ratios are never stored: CTR, CPA and ROAS
-- are divided at query time from the summed counts. Each grain is fed from the changes directly.
-- TTLs: minutes 35 days (the live dashboard and a month's detail, past the 7-day attribution
-- window and 30-day billing cycles), hours 400 days (a year plus a quarter for year-over-year
-- campaign comparisons), days 5 years (long-term budget planning).
CREATE TABLE IF NOT EXISTS ad_performance_minute
(
    period DateTime('UTC'),
    campaign_id String,
    ad_id String,
    device_type LowCardinality(String),
    os LowCardinality(String),
    country LowCardinality(String),
    age_band LowCardinality(String),
    gender LowCardinality(String),
    currency LowCardinality(String),
    impressions SimpleAggregateFunction(sum, Int64),
    clicks SimpleAggregateFunction(sum, Int64),
    attributed_clicks SimpleAggregateFunction(sum, Int64),
    conversions SimpleAggregateFunction(sum, Int64),
    unattributed_conversions SimpleAggregateFunction(sum, Int64),
    spend_micros SimpleAggregateFunction(sum, Int64),
    revenue_micros SimpleAggregateFunction(sum, Int64),
    unattributed_revenue_micros SimpleAggregateFunction(sum, Int64),
    users AggregateFunction(uniq, String)
)
ENGINE = AggregatingMergeTree
PARTITION BY toDate(period)
ORDER BY (period, campaign_id, ad_id, device_type, os, country, age_band, gender, currency)
TTL period + INTERVAL 35 DAY
SETTINGS non_replicated_deduplication_window = 1000;

CREATE MATERIALIZED VIEW IF NOT EXISTS ad_performance_minute_mv TO ad_performance_minute AS
SELECT
    minute AS period,
    campaign_id,
    ad_id,
    device_type,
    os,
    country,
    age_band,
    gender,
    currency,
    sum(impressions) AS impressions,
    sum(clicks) AS clicks,
    sum(attributed_clicks) AS attributed_clicks,
    sum(conversions) AS conversions,
    sum(unattributed_conversions) AS unattributed_conversions,
    sum(spend_micros) AS spend_micros,
    sum(revenue_micros) AS revenue_micros,
    sum(unattributed_revenue_micros) AS unattributed_revenue_micros,
    uniqArrayState(reached) AS users
FROM ad_performance_changes
GROUP BY period, campaign_id, ad_id, device_type, os, country, age_band, gender, currency;

-- The hour and day facts have the minute fact's columns; period is the start of the hour or day.
CREATE TABLE IF NOT EXISTS ad_performance_hour AS ad_performance_minute
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(period)
ORDER BY (period, campaign_id, ad_id, device_type, os, country, age_band, gender, currency)
TTL period + INTERVAL 400 DAY
SETTINGS non_replicated_deduplication_window = 1000;

CREATE MATERIALIZED VIEW IF NOT EXISTS ad_performance_hour_mv TO ad_performance_hour AS
SELECT
    toStartOfHour(minute) AS period,
    campaign_id,
    ad_id,
    device_type,
    os,
    country,
    age_band,
    gender,
    currency,
    sum(impressions) AS impressions,
    sum(clicks) AS clicks,
    sum(attributed_clicks) AS attributed_clicks,
    sum(conversions) AS conversions,
    sum(unattributed_conversions) AS unattributed_conversions,
    sum(spend_micros) AS spend_micros,
    sum(revenue_micros) AS revenue_micros,
    sum(unattributed_revenue_micros) AS unattributed_revenue_micros,
    uniqArrayState(reached) AS users
FROM ad_performance_changes
GROUP BY period, campaign_id, ad_id, device_type, os, country, age_band, gender, currency;

CREATE TABLE IF NOT EXISTS ad_performance_day AS ad_performance_minute
ENGINE = AggregatingMergeTree
PARTITION BY toYear(period)
ORDER BY (period, campaign_id, ad_id, device_type, os, country, age_band, gender, currency)
TTL period + INTERVAL 5 YEAR
SETTINGS non_replicated_deduplication_window = 1000;

CREATE MATERIALIZED VIEW IF NOT EXISTS ad_performance_day_mv TO ad_performance_day AS
SELECT
    toStartOfDay(minute) AS period,
    campaign_id,
    ad_id,
    device_type,
    os,
    country,
    age_band,
    gender,
    currency,
    sum(impressions) AS impressions,
    sum(clicks) AS clicks,
    sum(attributed_clicks) AS attributed_clicks,
    sum(conversions) AS conversions,
    sum(unattributed_conversions) AS unattributed_conversions,
    sum(spend_micros) AS spend_micros,
    sum(revenue_micros) AS revenue_micros,
    sum(unattributed_revenue_micros) AS unattributed_revenue_micros,
    uniqArrayState(reached) AS users
FROM ad_performance_changes
GROUP BY period, campaign_id, ad_id, device_type, os, country, age_band, gender, currency;
