import { USER_STATE_MAX_BOUND_MS } from '@social-pulse/shared';
// Types only: workflow code never loads activity implementations.
import type { TopicRetention } from '@social-pulse/activities';

/**
 * The erasure's pure planning: when what it cannot delete ages out. Deterministic, so the workflow
 * can compute it; not exported from the package's entry (every function there is a workflow type).
 */

/** How often a broker looks for segments past retention (log.retention.check.interval.ms, Kafka's default). */
export const KAFKA_RETENTION_CHECK_MS = 5 * 60_000;

/**
 * When the user's records are gone from every topic, at the latest: Kafka deletes whole closed
 * segments, so a record sent now lives until its segment rolls (segment.ms at most, given traffic
 * on the partition), then until the segment's newest record is retention.ms old, then until the
 * next retention check. Null when a topic keeps records forever (retention.ms -1) or is unreadable.
 */
export function kafkaAgesOutAt(topics: readonly TopicRetention[], nowMs: number): string | null {
  if (topics.length === 0) return null;
  let latest = nowMs;
  for (const { retentionMs, segmentMs } of topics) {
    if (!Number.isFinite(retentionMs) || retentionMs < 0 || !Number.isFinite(segmentMs) || segmentMs < 0) return null;
    latest = Math.max(latest, nowMs + segmentMs + retentionMs + KAFKA_RETENTION_CHECK_MS);
  }
  return new Date(latest).toISOString();
}

/** When no Flink job's keyed state holds the user, given no event of theirs after `nowMs` (USER_STATE_BOUNDS). */
export const flinkStateAgesOutAt = (nowMs: number): string => new Date(nowMs + USER_STATE_MAX_BOUND_MS).toISOString();
