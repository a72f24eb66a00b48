-- Issue 11: the raw event archive and the dead letters, written by the Flink archive job through
-- its exactly-once sink (insert deduplication tokens, hence the deduplication windows below).

-- Every accepted event of every family, once. Partitioned by day (TTL drops whole days); ordered by
-- (user_id, event_time) for the journey of one user (anonymous visitors have user_id '' and their
-- anonymous_id). LowCardinality for columns with few distinct values (types, devices, countries).
-- Typed columns for what queries filter and group by; the rest of the event stays as JSON text
-- (properties, context), compressed.
-- ReplacingMergeTree keyed by event_id within (user_id, event_time): the job drops resent events by
-- id before inserting and the sink's tokens drop a replayed insert, so a second row of an event
-- should never reach the table; if one did (a resend later than the job's deduplication TTL), a
-- merge folds it away and `FINAL` hides it until then.
-- non_replicated_deduplication_window: the insert tokens of the last 1,000 inserts are remembered;
-- a commit is retried within seconds, a few inserts per checkpoint.
-- TTL 90 days: the raw archive is the costliest table and every dashboard question is answered
-- from rollups that live longer; 90 days covers a quarter's investigations and backfills.
CREATE TABLE IF NOT EXISTS events
(
    event_id UUID,
    event_type LowCardinality(String),
    family LowCardinality(String),
    schema_version UInt16,
    user_id String,
    anonymous_id String,
    session_id String,
    event_time DateTime64(3, 'UTC'),
    client_ts DateTime64(3, 'UTC'),
    received_at DateTime64(3, 'UTC'),
    device_type LowCardinality(String),
    os LowCardinality(String),
    browser LowCardinality(String),
    country LowCardinality(String),
    is_bot Bool,
    page_path String,
    referrer String,
    properties String CODEC(ZSTD(3)),
    context String CODEC(ZSTD(3))
)
ENGINE = ReplacingMergeTree
PARTITION BY toDate(event_time)
ORDER BY (user_id, event_time, event_id)
TTL toDateTime(event_time) + INTERVAL 90 DAY
SETTINGS non_replicated_deduplication_window = 1000;

-- Events the collector rejected (the events-dlq topic), queryable by cause: reason_code is the
-- collector's bounded reason label (packages/events: DEAD_LETTER_REASONS), reason its full text,
-- excerpt the event as sent (cut to the collector's excerpt length when too large). Kept 30 days:
-- long enough to find and fix a misbehaving client.
CREATE TABLE IF NOT EXISTS dead_letters
(
    received_at DateTime64(3, 'UTC'),
    reason_code Enum8(
        'other' = 0, 'depth' = 1, 'key_length' = 2, 'string_length' = 3, 'event_size' = 4,
        'event' = 5, 'event_id' = 6, 'event_type' = 7, 'schema_version' = 8, 'user_id' = 9,
        'anonymous_id' = 10, 'session_id' = 11, 'client_ts' = 12, 'sent_at' = 13, 'context' = 14,
        'properties' = 15),
    reason String,
    event_id String,
    excerpt String CODEC(ZSTD(3))
)
ENGINE = MergeTree
PARTITION BY toDate(received_at)
ORDER BY (reason_code, received_at)
TTL toDateTime(received_at) + INTERVAL 30 DAY
SETTINGS non_replicated_deduplication_window = 1000;
