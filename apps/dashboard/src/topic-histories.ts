import type { Fetched } from './api';
import type { TopicHistoryData, TrendingWindow } from './types';

/** A topic's scores over time, for its sparkline: unix seconds and scores, oldest first. */
export interface ScoreSeries {
  times: number[];
  /** null: a gap, the minutes the topic was not listed (drawn as a break, not a line across). */
  scores: (number | null)[];
}

/** Points further apart than this (history is one a minute) have minutes without the topic between them. */
const GAP_SECONDS = 150;

interface Entry {
  series: ScoreSeries | null;
  failed: boolean;
  inFlight: boolean;
  fetchedAt: number;
}

/** History points are one a minute: reading a topic's more often than this shows nothing new. */
const HISTORY_MAX_AGE_MS = 60_000;
/** Reads of history at once: each is a ClickHouse query, so a fresh page does not send 30 together. */
const CONCURRENCY = 3;

/**
 * The sparklines' data: each listed topic's history (GET /v1/trending/{topic}/history), read when
 * the topic first shows and again once a minute while it stays listed. Between reads the panel
 * adds the topic's current score from the live list as the newest point.
 */
export class TopicHistories {
  private readonly entries = new Map<string, Entry>();
  private readonly queue: { window: TrendingWindow; topic: string; minutes: number }[] = [];
  private active = 0;

  constructor(
    private readonly read: (
      topic: string,
      window: TrendingWindow,
      minutes: number,
    ) => Promise<Fetched<TopicHistoryData>>,
    private readonly changed: (window: string, topic: string) => void,
    private readonly clock: () => number = () => Date.now(),
  ) {}

  /** The topics a horizon lists now; those never read, or read over a minute ago, are read. */
  want(window: TrendingWindow, topics: string[], minutes: number): void {
    const now = this.clock();
    for (const topic of topics) {
      const entry = this.entries.get(keyOf(window, topic));
      if (entry && (entry.inFlight || now - entry.fetchedAt < HISTORY_MAX_AGE_MS)) continue;
      if (this.queue.some((item) => item.window === window && item.topic === topic)) continue;
      this.queue.push({ window, topic, minutes });
    }
    this.drain();
  }

  /** The topic's series; null while not read yet; 'failed' when the last read failed. */
  series(window: string, topic: string): ScoreSeries | null | 'failed' {
    const entry = this.entries.get(keyOf(window, topic));
    if (!entry) return null;
    if (entry.failed && !entry.series) return 'failed';
    return entry.series;
  }

  private drain(): void {
    while (this.active < CONCURRENCY && this.queue.length > 0) {
      const { window, topic, minutes } = this.queue.shift()!;
      const key = keyOf(window, topic);
      const entry = this.entries.get(key) ?? { series: null, failed: false, inFlight: false, fetchedAt: 0 };
      entry.inFlight = true;
      this.entries.set(key, entry);
      this.active += 1;
      void this.read(topic, window, minutes)
        .then((result) => {
          entry.fetchedAt = this.clock();
          entry.failed = !result.ok;
          if (result.ok) entry.series = seriesOf(result.envelope.data);
        })
        .finally(() => {
          entry.inFlight = false;
          this.active -= 1;
          this.changed(window, topic);
          this.drain();
        });
    }
  }
}

const keyOf = (window: string, topic: string) => `${window}\u0000${topic}`;

export function seriesOf(data: TopicHistoryData): ScoreSeries {
  const series: ScoreSeries = { times: [], scores: [] };
  for (const point of data.points) {
    const time = Date.parse(point.window_end) / 1000;
    const previous = series.times.at(-1);
    if (previous !== undefined && time - previous > GAP_SECONDS) {
      series.times.push(previous + 60);
      series.scores.push(null);
    }
    series.times.push(time);
    series.scores.push(point.score);
  }
  return series;
}

/** The history with the live list's score as its newest point, when that is newer than the history's. */
export function withLatest(series: ScoreSeries, windowEnd: string | null, score: number): ScoreSeries {
  const time = windowEnd === null ? NaN : Date.parse(windowEnd) / 1000;
  const last = series.times.at(-1);
  if (!Number.isFinite(time) || (last !== undefined && time <= last)) return series;
  return { times: [...series.times, time], scores: [...series.scores, score] };
}
