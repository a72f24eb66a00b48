import { ApiProperty } from '@nestjs/swagger';
import { z } from 'zod';

export const TRENDING_WINDOWS = ['1m', '5m', '15m'] as const;
export type TrendingWindow = (typeof TRENDING_WINDOWS)[number];
/** The cache keeps this many topics per window; a request asks for at most as many. */
export const MAX_TRENDING_LIMIT = 100;

export const trendingQuerySchema = z.object({
  window: z.enum(TRENDING_WINDOWS, { error: `window must be one of ${TRENDING_WINDOWS.join(', ')}` }).default('1m'),
  limit: z.coerce
    .number({ error: 'limit must be a number' })
    .int('limit must be a whole number')
    .min(1, 'limit must be at least 1')
    .max(MAX_TRENDING_LIMIT, `limit must be at most ${MAX_TRENDING_LIMIT}`)
    .default(20),
});

export type TrendingQuery = z.infer<typeof trendingQuerySchema>;

/** One row of trending_topics as ClickHouse returns it in JSONEachRow. */
export interface TrendingRow {
  topic: string;
  mentions: string | number;
  score: number;
  rank: number;
  window_start: string;
  window_end: string;
}

export class TrendingTopicDto {
  @ApiProperty() topic!: string;
  @ApiProperty({ description: 'Mentions of the topic in the window' }) mentions!: number;
  @ApiProperty({ description: 'Ranking score (higher is hotter)' }) score!: number;
  @ApiProperty({ description: '1-based rank within the window' }) rank!: number;
}

export class TrendingResponseDto {
  @ApiProperty({ enum: TRENDING_WINDOWS }) window!: TrendingWindow;
  @ApiProperty({ nullable: true, description: 'Start of the latest complete window (ISO-8601, UTC)' }) window_start!:
    string | null;
  @ApiProperty({ nullable: true, description: 'End of the latest complete window (ISO-8601, UTC)' }) window_end!:
    string | null;
  @ApiProperty({ description: 'When this answer was computed from ClickHouse' }) computed_at!: string;
  @ApiProperty({ type: [TrendingTopicDto] }) topics!: TrendingTopicDto[];
}

/** ClickHouse rows to the response; UInt64 arrives as a string in JSON. */
export function mapTrendingRows(window: TrendingWindow, rows: TrendingRow[], computedAt: Date): TrendingResponseDto {
  const iso = (value: string | undefined) => (value ? new Date(`${value.replace(' ', 'T')}Z`).toISOString() : null);
  return {
    window,
    window_start: iso(rows[0]?.window_start),
    window_end: iso(rows[0]?.window_end),
    computed_at: computedAt.toISOString(),
    topics: rows.map((row) => ({ topic: row.topic, mentions: Number(row.mentions), score: row.score, rank: row.rank })),
  };
}
