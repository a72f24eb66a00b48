-- Issue 10: trending_topics carries the parts of each score, one list per window and generation,
-- and a per-topic history. The old table's rows are derived data the Flink job rewrites as it runs
-- (the dashboard shows only the latest windows), so the table is replaced, not migrated: its key
-- (window, topic) cannot keep a replayed list from leaving a dropped topic behind.
DROP TABLE IF EXISTS trending_topics;

-- One row per (horizon, window, rank). A window's whole top list is written together with one
-- computed_at (the generation). ReplacingMergeTree(computed_at) keyed by rank folds a replay's
-- rows onto the earlier ones; readers take, per window, only the rows of the greatest computed_at,
-- so a topic that fell out of the list on a replay (its rank slot taken or gone) disappears.
-- Partitioned by horizon and hour: the dashboard's read (the latest window of one horizon, bounded
-- to a recent window_end) opens one or two parts of one horizon.
-- TTL: each horizon keeps 120 of its own window lengths (1m: 2 hours, 5m: 10 hours, 15m: 30 hours),
-- read from the row itself so the horizons stay in one file (packages/shared/trending-horizons.json).
-- Every horizon slides 30 times per window, so each keeps the same ~180,000 rows (top 50): the
-- 1-minute horizon writes 15 times the rows of the 15-minute one, and its rows go stale 15 times
-- sooner. Older points live on, one a minute, in trending_topic_history.
CREATE TABLE IF NOT EXISTS trending_topics
(
    window_size LowCardinality(String),
    window_start DateTime64(3, 'UTC'),
    window_end DateTime64(3, 'UTC'),
    rank UInt16,
    topic String,
    score Float64,
    mentions UInt64,
    unique_authors UInt32,
    weighted_mentions Float64,
    damping Float64,
    bot_mentions UInt64,
    baseline Float64,
    velocity Float64,
    computed_at DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(computed_at)
PARTITION BY (window_size, toStartOfHour(window_end))
ORDER BY (window_size, window_end, rank)
TTL toDateTime(window_end) + toIntervalSecond(120 * dateDiff('second', window_start, window_end));

-- Per topic and minute, per horizon: the score and mentions of the latest window that ended in that
-- minute and listed the topic. ReplacingMergeTree(window_end) keyed by (window_size, topic, minute):
-- a later window of the same minute replaces an earlier one, and a replay of the same window (equal
-- version) replaces it too (the last insert wins), so a replay never doubles a point. Read it FINAL.
-- Kept 30 days: the history outlives the windows it was taken from.
CREATE TABLE IF NOT EXISTS trending_topic_history
(
    window_size LowCardinality(String),
    topic String,
    minute DateTime('UTC'),
    window_end DateTime64(3, 'UTC'),
    score Float64,
    mentions UInt64,
    rank UInt16,
    computed_at DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(window_end)
PARTITION BY toYYYYMMDD(minute)
ORDER BY (window_size, topic, minute)
TTL minute + INTERVAL 30 DAY;

-- Fed by every insert into trending_topics. Each insert block is folded to one row per
-- (horizon, topic, minute) before it is written, the latest window (then generation) winning.
CREATE MATERIALIZED VIEW IF NOT EXISTS trending_topic_history_mv TO trending_topic_history AS
SELECT
    window_size,
    topic,
    minute,
    latest.1 AS window_end,
    latest.2 AS score,
    latest.3 AS mentions,
    latest.4 AS rank,
    latest.5 AS computed_at
FROM
(
    SELECT
        window_size,
        topic,
        toStartOfMinute(window_end) AS minute,
        argMax((window_end, score, mentions, rank, computed_at), (window_end, computed_at)) AS latest
    FROM trending_topics
    GROUP BY window_size, topic, minute
);
