import { ApiProperty } from '@nestjs/swagger';
import {
  TRENDING_HORIZON_LABELS,
  trendingHorizon,
  type AnswerSnapshot,
  type TrendingHorizonLabel,
} from '@social-pulse/shared';
import { z } from 'zod';
import { AnswerEnvelopeDto } from './answer-envelope.dto';
import { isoFromClickHouse as iso } from './time-params';

export type TrendingWindow = TrendingHorizonLabel;
/** The cache keeps this many topics per window; a request asks for at most as many. */
export const MAX_TRENDING_LIMIT = 100;
/** How far back the history endpoint reaches: its rows are kept 30 days, a request reads at most a day. */
export const MAX_HISTORY_MINUTES = 1440;

/**
 * The age past which a horizon's answer is stale: three missed slides, plus 10 s for the way from
 * event to API (watermark, flush, refresh; the goal is p99 ≤ 5 s). 1m: 13 s, 5m: 40 s, 15m: 100 s.
 */
export const trendingStaleAfterMs = (window: TrendingWindow) =>
  3 * trendingHorizon(window).slideSeconds * 1000 + 10_000;

const windowSchema = z
  .enum(TRENDING_HORIZON_LABELS, { error: `window must be one of ${TRENDING_HORIZON_LABELS.join(', ')}` })
  .default(TRENDING_HORIZON_LABELS[0]);

export const trendingQuerySchema = z.object({
  window: windowSchema,
  limit: z.coerce
    .number({ error: 'limit must be a number' })
    .int('limit must be a whole number')
    .min(1, 'limit must be at least 1')
    .max(MAX_TRENDING_LIMIT, `limit must be at most ${MAX_TRENDING_LIMIT}`)
    .default(20),
});

export type TrendingQuery = z.infer<typeof trendingQuerySchema>;

/** The topic as the job names it: trimmed, one leading # dropped, lower case (like the collector's hashtags). */
export const topicHistoryQuerySchema = z.object({
  topic: z
    .string({ error: 'topic is required' })
    .max(100, 'topic must be at most 100 characters')
    .transform((topic) => topic.trim().replace(/^#/, '').trim().toLowerCase())
    .pipe(z.string().min(1, 'topic must not be empty')),
  window: windowSchema,
  minutes: z.coerce
    .number({ error: 'minutes must be a number' })
    .int('minutes must be a whole number')
    .min(1, 'minutes must be at least 1')
    .max(MAX_HISTORY_MINUTES, `minutes must be at most ${MAX_HISTORY_MINUTES}`)
    .default(60),
});

export type TopicHistoryQuery = z.infer<typeof topicHistoryQuerySchema>;

/** One row of trending_topics as ClickHouse returns it in JSONEachRow (UInt64 may arrive as a string). */
export interface TrendingRow {
  window_start: string;
  window_end: string;
  computed_at: string;
  rank: number;
  topic: string;
  score: number;
  mentions: string | number;
  unique_authors: number;
  weighted_mentions: number;
  damping: number;
  bot_mentions: string | number;
  baseline: number;
  velocity: number;
}

/** One row of trending_topic_history (read FINAL) in JSONEachRow. */
export interface TopicHistoryRow {
  minute: string;
  window_end: string;
  computed_at: string;
  score: number;
  mentions: string | number;
  rank: number;
}

export class TrendingTopicDto {
  @ApiProperty({ description: '1-based place in the window, by score' }) rank!: number;
  @ApiProperty({ description: 'The normalised hashtag' }) topic!: string;
  @ApiProperty({ description: 'ln(1 + weighted_mentions) × velocity' }) score!: number;
  @ApiProperty({ description: 'Mentions counted: one per event_id, bot-flagged events left out' }) mentions!: number;
  @ApiProperty({ description: 'Distinct authors among the counted mentions' }) unique_authors!: number;
  @ApiProperty({ description: 'W: Σ over authors of min(1 + ln c, cap), c an author’s mentions' })
  weighted_mentions!: number;
  @ApiProperty({ description: 'Share of mentions the per-author cap removed: 1 - W / mentions (0..1)' })
  damping!: number;
  @ApiProperty({ description: 'Mentions from bot-flagged events, not counted' }) bot_mentions!: number;
  @ApiProperty({ description: 'B: the topic’s trailing baseline of W per window of this horizon' }) baseline!: number;
  @ApiProperty({ description: 'V = (W + k) / (B + k), k = 10: growth against the topic’s own baseline' })
  velocity!: number;
}

export class TrendingDataDto {
  @ApiProperty({ enum: TRENDING_HORIZON_LABELS }) window!: TrendingWindow;
  @ApiProperty({ type: String, nullable: true, description: 'Start of the latest window (ISO-8601, UTC)' })
  window_start!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'End of the latest window (ISO-8601, UTC), exclusive' })
  window_end!: string | null;
  @ApiProperty({ type: [TrendingTopicDto], description: 'Highest score first' }) topics!: TrendingTopicDto[];
}

/** GET /v1/trending: the latest window's list; data_time is the window's end, computed_at its generation. */
export class TrendingAnswerDto extends AnswerEnvelopeDto(TrendingDataDto) {}

export class TopicHistoryPointDto {
  @ApiProperty({ description: 'The minute (ISO-8601, UTC) in which the window ended' }) minute!: string;
  @ApiProperty({ description: 'End of the latest window of that minute that listed the topic' }) window_end!: string;
  @ApiProperty() score!: number;
  @ApiProperty() mentions!: number;
  @ApiProperty({ description: 'The topic’s rank in that window' }) rank!: number;
}

export class TopicHistoryDataDto {
  @ApiProperty() topic!: string;
  @ApiProperty({ enum: TRENDING_HORIZON_LABELS }) window!: TrendingWindow;
  @ApiProperty({
    type: [TopicHistoryPointDto],
    description: 'Oldest first; minutes the topic was not listed are absent',
  })
  points!: TopicHistoryPointDto[];
}

/** GET /v1/trending/{topic}/history: data_time is the newest point's window end. */
export class TopicHistoryAnswerDto extends AnswerEnvelopeDto(TopicHistoryDataDto) {}

export type TrendingSnapshot = AnswerSnapshot<TrendingDataDto>;

/** The latest window's rows (one generation, rank order) to the cached snapshot; UInt64 strings become numbers. */
export function mapTrendingRows(window: TrendingWindow, rows: TrendingRow[]): TrendingSnapshot {
  const first = rows[0];
  return {
    data: {
      window,
      window_start: first ? iso(first.window_start) : null,
      window_end: first ? iso(first.window_end) : null,
      topics: rows.map((row) => ({
        rank: row.rank,
        topic: row.topic,
        score: row.score,
        mentions: Number(row.mentions),
        unique_authors: Number(row.unique_authors),
        weighted_mentions: row.weighted_mentions,
        damping: row.damping,
        bot_mentions: Number(row.bot_mentions),
        baseline: row.baseline,
        velocity: row.velocity,
      })),
    },
    data_time: first ? iso(first.window_end) : null,
    computed_at: first ? iso(first.computed_at) : null,
  };
}

/** History rows (oldest first) to a snapshot whose data time is the newest point's window end. */
export function mapTopicHistoryRows(
  topic: string,
  window: TrendingWindow,
  rows: TopicHistoryRow[],
): AnswerSnapshot<TopicHistoryDataDto> {
  const last = rows.at(-1);
  return {
    data: {
      topic,
      window,
      points: rows.map((row) => ({
        minute: iso(row.minute),
        window_end: iso(row.window_end),
        score: row.score,
        mentions: Number(row.mentions),
        rank: row.rank,
      })),
    },
    data_time: last ? iso(last.window_end) : null,
    computed_at: last ? iso(last.computed_at) : null,
  };
}
