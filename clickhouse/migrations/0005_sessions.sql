-- Issue 11: sessions, written by the Session Analyzer job through its exactly-once sink, and the
-- session rollups kept from them.

-- One row per session report. The job reports a session in progress every few seconds (status
-- 'active'), when it closes ('closed': the visitor was inactive for the gap, or the session reached
-- its maximum length; late events may still revise it) and when it can no longer change
-- ('sealed'). Every report carries a higher revision: ReplacingMergeTree(revision, is_deleted)
-- keeps the newest per (user_id, session_start, session_id), and a report under a new start (an
-- earlier event arrived late) or a merge of two sessions withdraws the old row with a tombstone
-- (is_deleted = 1). Read with FINAL. Partitioned by the session's start day; ordered by user for
-- a user's journey. TTL 180 days: one row per session (tens of events each), and two quarters of
-- journeys cover retention and cohort questions after the raw archive (90 days) is gone.
CREATE TABLE IF NOT EXISTS sessions
(
    user_id String,
    session_id UUID,
    client_session_id String,
    session_start DateTime64(3, 'UTC'),
    session_end DateTime64(3, 'UTC'),
    duration_ms UInt64,
    events UInt32,
    page_views UInt32,
    distinct_pages UInt32,
    entry_page String,
    exit_page String,
    posts_created UInt32,
    likes UInt32,
    comments UInt32,
    shares UInt32,
    device_type LowCardinality(String),
    os LowCardinality(String),
    country LowCardinality(String),
    is_bounce Bool,
    status Enum8('active' = 0, 'closed' = 1, 'sealed' = 2),
    revision UInt32,
    is_deleted UInt8
)
ENGINE = ReplacingMergeTree(revision, is_deleted)
PARTITION BY toDate(session_start)
ORDER BY (user_id, session_start, session_id)
TTL toDateTime(session_start) + INTERVAL 180 DAY
SETTINGS non_replicated_deduplication_window = 1000;

-- Session rollups per minute, hour and day of the session's start, by device, OS and country:
-- sessions, bounces, events, page views and total duration as sums, visitors as a uniq state and
-- the duration distribution as a t-digest state, so any period or breakdown merges exactly
-- (never an average of averages). Only sealed reports feed them: a sealed session never changes
-- again, and the job reports it sealed once (a replayed insert is dropped by its token), so each
-- session is counted once. Sessions still open are read from `sessions` FINAL by the API.
-- TTLs as the engagement rollups: minutes 14 days, hours 180 days, days 3 years.
CREATE TABLE IF NOT EXISTS session_minute
(
    period DateTime('UTC'),
    device_type LowCardinality(String),
    os LowCardinality(String),
    country LowCardinality(String),
    sessions SimpleAggregateFunction(sum, UInt64),
    bounces SimpleAggregateFunction(sum, UInt64),
    events SimpleAggregateFunction(sum, UInt64),
    page_views SimpleAggregateFunction(sum, UInt64),
    duration_ms_sum SimpleAggregateFunction(sum, UInt64),
    users AggregateFunction(uniq, String),
    duration AggregateFunction(quantilesTDigest(0.5, 0.9, 0.99), UInt64)
)
ENGINE = AggregatingMergeTree
PARTITION BY toDate(period)
ORDER BY (period, device_type, os, country)
TTL period + INTERVAL 14 DAY
SETTINGS non_replicated_deduplication_window = 1000;

CREATE MATERIALIZED VIEW IF NOT EXISTS session_minute_mv TO session_minute AS
SELECT
    toStartOfMinute(session_start) AS period,
    device_type,
    os,
    country,
    count() AS sessions,
    countIf(is_bounce) AS bounces,
    sum(events) AS events,
    sum(page_views) AS page_views,
    sum(duration_ms) AS duration_ms_sum,
    uniqState(user_id) AS users,
    quantilesTDigestState(0.5, 0.9, 0.99)(duration_ms) AS duration
FROM sessions
WHERE status = 'sealed' AND is_deleted = 0
GROUP BY period, device_type, os, country;

CREATE TABLE IF NOT EXISTS session_hour AS session_minute
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(period)
ORDER BY (period, device_type, os, country)
TTL period + INTERVAL 180 DAY
SETTINGS non_replicated_deduplication_window = 1000;

CREATE MATERIALIZED VIEW IF NOT EXISTS session_hour_mv TO session_hour AS
SELECT
    toStartOfHour(session_start) AS period,
    device_type,
    os,
    country,
    count() AS sessions,
    countIf(is_bounce) AS bounces,
    sum(events) AS events,
    sum(page_views) AS page_views,
    sum(duration_ms) AS duration_ms_sum,
    uniqState(user_id) AS users,
    quantilesTDigestState(0.5, 0.9, 0.99)(duration_ms) AS duration
FROM sessions
WHERE status = 'sealed' AND is_deleted = 0
GROUP BY period, device_type, os, country;

CREATE TABLE IF NOT EXISTS session_day AS session_minute
ENGINE = AggregatingMergeTree
PARTITION BY toYear(period)
ORDER BY (period, device_type, os, country)
TTL period + INTERVAL 3 YEAR
SETTINGS non_replicated_deduplication_window = 1000;

CREATE MATERIALIZED VIEW IF NOT EXISTS session_day_mv TO session_day AS
SELECT
    toStartOfDay(session_start) AS period,
    device_type,
    os,
    country,
    count() AS sessions,
    countIf(is_bounce) AS bounces,
    sum(events) AS events,
    sum(page_views) AS page_views,
    sum(duration_ms) AS duration_ms_sum,
    uniqState(user_id) AS users,
    quantilesTDigestState(0.5, 0.9, 0.99)(duration_ms) AS duration
FROM sessions
WHERE status = 'sealed' AND is_deleted = 0
GROUP BY period, device_type, os, country;
