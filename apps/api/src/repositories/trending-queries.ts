/** The API's trending SQL, apart so that tests can run and EXPLAIN exactly what the API runs. */
import { CANARY_TOPIC_PREFIX } from '@social-pulse/events';
import { clickhouseTime } from '../dtos/time-params';
import type { TrendingWindow } from '../dtos/trending.dto';
import type { ClickHouseStatement } from './engagement-queries';

/**
 * The latest window of a horizon, only the rows of its greatest computed_at (the generation): a topic
 * that a replay dropped from the list keeps its old row until a merge, and must not be read. FINAL
 * folds a generation written twice. The window_end bound lets ClickHouse skip the horizon's older
 * partitions (PARTITION BY window_size, hour); ORDER BY rank follows the sorting key. `topics` keeps
 * the dashboard's topics or the canary's (CANARY_TOPIC_PREFIX, written after the top N), in the
 * subquery too: the dashboard's latest window is the latest with topics of its own, as if no canary
 * ran, and the canary's the latest it reached.
 */
const latestTrending = (topics: string) => `
  SELECT window_start, window_end, computed_at, rank, topic, score, mentions, unique_authors,
         weighted_mentions, damping, bot_mentions, baseline, velocity
  FROM trending_topics FINAL
  WHERE window_size = {window:String}
    AND window_end >= {since:DateTime64(3, 'UTC')}
    AND ${topics}
    AND (window_end, computed_at) IN (
      SELECT window_end, max(computed_at) FROM trending_topics
      WHERE window_size = {window:String} AND window_end >= {since:DateTime64(3, 'UTC')} AND ${topics}
      GROUP BY window_end
      ORDER BY window_end DESC
      LIMIT 1)
  ORDER BY rank
  LIMIT {limit:UInt32}`;

/** The dashboard's trending list: never a canary topic. */
export const LATEST_TRENDING = latestTrending(`NOT startsWith(topic, '${CANARY_TOPIC_PREFIX}')`);

/** The canary's topics of the latest window it reached, read as the dashboard's list is (apps/api canary route). */
export const LATEST_CANARY_TOPICS = latestTrending(`startsWith(topic, '${CANARY_TOPIC_PREFIX}')`);

/** One point per minute; FINAL keeps the latest window of each minute (ReplacingMergeTree(window_end)). */
export const TOPIC_HISTORY = `
  SELECT minute, window_end, computed_at, score, mentions, rank
  FROM trending_topic_history FINAL
  WHERE window_size = {window:String} AND topic = {topic:String} AND minute >= {since:DateTime('UTC')}
  ORDER BY minute`;

/** The canary topics of a horizon's latest window with any that ended at or after `since`. */
export function latestCanaryTopicsStatement(window: TrendingWindow, limit: number, since: Date): ClickHouseStatement {
  return {
    name: 'trending_latest_canary',
    query: LATEST_CANARY_TOPICS,
    query_params: { window, limit, since: clickhouseTime(since) },
  };
}

/** The top topics of a horizon's latest window that ended at or after `since`, rank order. */
export function latestTrendingStatement(window: TrendingWindow, limit: number, since: Date): ClickHouseStatement {
  return {
    name: 'trending_latest',
    query: LATEST_TRENDING,
    query_params: { window, limit, since: clickhouseTime(since) },
  };
}

/** A topic's points from the minute of `since` on. */
export function topicHistoryStatement(window: TrendingWindow, topic: string, since: Date): ClickHouseStatement {
  return {
    name: 'trending_topic_history',
    query: TOPIC_HISTORY,
    query_params: { window, topic, since: clickhouseTime(since).slice(0, 19) },
  };
}
