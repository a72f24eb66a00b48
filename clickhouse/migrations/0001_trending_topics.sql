-- Top topics per sliding window, written by the Flink Trending Topics job.
-- ReplacingMergeTree keyed by window and topic: a job that replays after a restart rewrites
-- the same rows (the newest computed_at wins), so counts are never doubled. Read with FINAL.
-- The sort key starts with the window so the latest window of a size is one range read.
CREATE TABLE IF NOT EXISTS trending_topics
(
    window_size LowCardinality(String),
    window_start DateTime64(3, 'UTC'),
    window_end DateTime64(3, 'UTC'),
    topic String,
    mentions UInt64,
    score Float64,
    rank UInt16,
    computed_at DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(computed_at)
PARTITION BY toDate(window_end)
ORDER BY (window_size, window_end, topic)
TTL toDateTime(window_end) + INTERVAL 7 DAY;
