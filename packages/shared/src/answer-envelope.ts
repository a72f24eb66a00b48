/** Where a cached answer was read: the hot tier, or recomputed from ClickHouse on a miss. */
export type AnswerSource = 'redis' | 'clickhouse';

/** What a cache keeps of an answer: the data and the times that describe it. */
export interface AnswerSnapshot<T> {
  data: T;
  /** The time the data describes (ISO-8601, UTC): for trending, the end of the window. null when there is none yet. */
  data_time: string | null;
  /** When the pipeline computed the data (ISO-8601, UTC): for trending, the window list's generation. */
  computed_at: string | null;
}

/**
 * The shape of every cached API answer (trending now; engagement, ads and the dashboard reuse it).
 * Age, source and staleness are decided when answering, never cached: a cached answer grows older.
 */
export interface AnswerEnvelope<T> extends AnswerSnapshot<T> {
  /** now - data_time in milliseconds, when answering (never negative); null without data_time. */
  age_ms: number | null;
  source: AnswerSource;
  /** The rule: stale when there is no data_time, or age_ms > stale_after_ms. */
  stale: boolean;
  /** The age past which this answer is stale: what the endpoint expects of a healthy pipeline. */
  stale_after_ms: number;
}

/** Wraps a snapshot for answering: its age now, where it came from, and whether it is stale. */
export function answerEnvelope<T>(
  snapshot: AnswerSnapshot<T>,
  answer: { source: AnswerSource; staleAfterMs: number; now?: number },
): AnswerEnvelope<T> {
  const dataTime = snapshot.data_time === null ? null : Date.parse(snapshot.data_time);
  const ageMs = dataTime === null ? null : Math.max(0, (answer.now ?? Date.now()) - dataTime);
  return {
    data: snapshot.data,
    data_time: snapshot.data_time,
    computed_at: snapshot.computed_at,
    age_ms: ageMs,
    source: answer.source,
    stale: ageMs === null || ageMs > answer.staleAfterMs,
    stale_after_ms: answer.staleAfterMs,
  };
}
