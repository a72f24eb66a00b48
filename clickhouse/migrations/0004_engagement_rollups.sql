-- Issue 11: engagement rollups of the event archive, kept by materialized views as events are
-- inserted. AggregatingMergeTree states (uniq for users and sessions, sums for counts) merge
-- exactly into any coarser period or fewer dimensions: a dashboard never averages averages.
-- A visitor is its user_id, or 'a:' and its anonymous_id; a session is the client's session id.
-- Each rollup is fed from `events` directly (not from the finer rollup), so each is exact on its own.
-- The archive job's inserts carry deduplication tokens: a replayed insert is dropped here too, which
-- needs the deduplication window on every view's target table.
-- TTLs: minutes 14 days (the live dashboard and the last two weeks' detail), hours 180 days (two
-- quarters of trends), days 3 years (year-over-year comparisons); the raw archive keeps 90 days.

CREATE TABLE IF NOT EXISTS engagement_minute
(
    period DateTime('UTC'),
    event_type LowCardinality(String),
    device_type LowCardinality(String),
    os LowCardinality(String),
    country LowCardinality(String),
    events SimpleAggregateFunction(sum, UInt64),
    users AggregateFunction(uniq, String),
    sessions AggregateFunction(uniq, String)
)
ENGINE = AggregatingMergeTree
PARTITION BY toDate(period)
ORDER BY (period, event_type, device_type, os, country)
TTL period + INTERVAL 14 DAY
SETTINGS non_replicated_deduplication_window = 1000;

CREATE MATERIALIZED VIEW IF NOT EXISTS engagement_minute_mv TO engagement_minute AS
SELECT
    toStartOfMinute(event_time) AS period,
    event_type,
    device_type,
    os,
    country,
    count() AS events,
    uniqState(if(user_id != '', user_id, concat('a:', anonymous_id))) AS users,
    uniqStateIf(session_id, session_id != '') AS sessions
FROM events
GROUP BY period, event_type, device_type, os, country;

-- The hour and day rollups have the minute rollup's columns; period is the start of the hour or day.
CREATE TABLE IF NOT EXISTS engagement_hour AS engagement_minute
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(period)
ORDER BY (period, event_type, device_type, os, country)
TTL period + INTERVAL 180 DAY
SETTINGS non_replicated_deduplication_window = 1000;

CREATE MATERIALIZED VIEW IF NOT EXISTS engagement_hour_mv TO engagement_hour AS
SELECT
    toStartOfHour(event_time) AS period,
    event_type,
    device_type,
    os,
    country,
    count() AS events,
    uniqState(if(user_id != '', user_id, concat('a:', anonymous_id))) AS users,
    uniqStateIf(session_id, session_id != '') AS sessions
FROM events
GROUP BY period, event_type, device_type, os, country;

CREATE TABLE IF NOT EXISTS engagement_day AS engagement_minute
ENGINE = AggregatingMergeTree
PARTITION BY toYear(period)
ORDER BY (period, event_type, device_type, os, country)
TTL period + INTERVAL 3 YEAR
SETTINGS non_replicated_deduplication_window = 1000;

CREATE MATERIALIZED VIEW IF NOT EXISTS engagement_day_mv TO engagement_day AS
SELECT
    toStartOfDay(event_time) AS period,
    event_type,
    device_type,
    os,
    country,
    count() AS events,
    uniqState(if(user_id != '', user_id, concat('a:', anonymous_id))) AS users,
    uniqStateIf(session_id, session_id != '') AS sessions
FROM events
GROUP BY period, event_type, device_type, os, country;
