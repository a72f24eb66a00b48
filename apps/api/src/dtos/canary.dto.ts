import { ApiProperty } from '@nestjs/swagger';
import type { AnswerSnapshot } from '@social-pulse/shared';
import { z } from 'zod';
import { AnswerEnvelopeDto } from './answer-envelope.dto';
import { isoFromClickHouse as iso, MINUTE_MS } from './time-params';

/**
 * How far back the canary's sessions and ad rows are read: past the canary's timeout
 * (CANARY_TIMEOUT_MS, 60 s by default), after which it no longer looks for an event, with room for
 * a clock between the canary's and the collector's.
 */
export const CANARY_LOOKBACK_MS = 5 * MINUTE_MS;

/** More than the canaries of the lookback at one every second. */
export const MAX_CANARY_ROWS = 1000;

/** The platform's promise: an event shows within 5 s. The answer is read for the request, so never older. */
export const CANARY_STALE_AFTER_MS = 5_000;

/** The canary's sessions and ads routes read no parameters (so any is refused as unknown). */
export const canaryQuerySchema = z.object({});

/** One of the canary's sessions in `sessions` FINAL (JSONEachRow). */
export interface CanarySessionRow {
  user_id: string;
  session_id: string;
  session_start: string;
  session_end: string;
  events: number;
  status: string;
}

export class CanarySessionDto {
  @ApiProperty({ description: "The canary's visitor: CANARY: and the user id its event gave (its marker)" })
  user_id!: string;
  @ApiProperty() session_id!: string;
  @ApiProperty({ description: 'ISO-8601, UTC' }) session_start!: string;
  @ApiProperty({ description: 'ISO-8601, UTC: the time of its last event' }) session_end!: string;
  @ApiProperty() events!: number;
  @ApiProperty({ enum: ['active', 'closed', 'sealed'], description: 'The session’s latest report' })
  status!: string;
}

export class CanarySessionsDataDto {
  @ApiProperty({
    type: [CanarySessionDto],
    description: `The canary's sessions that started in the last ${CANARY_LOOKBACK_MS / MINUTE_MS} minutes, newest first`,
  })
  sessions!: CanarySessionDto[];
}

/** GET /v1/canary/sessions: data_time and computed_at are when ClickHouse was read. */
export class CanarySessionsAnswerDto extends AnswerEnvelopeDto(CanarySessionsDataDto) {}

export type CanarySessionsSnapshot = AnswerSnapshot<CanarySessionsDataDto>;

export function mapCanarySessions(rows: CanarySessionRow[], readAt: Date): CanarySessionsSnapshot {
  const readTime = readAt.toISOString();
  return {
    data: {
      sessions: rows.map((row) => ({
        user_id: row.user_id,
        session_id: row.session_id,
        session_start: iso(row.session_start),
        session_end: iso(row.session_end),
        events: Number(row.events),
        status: row.status,
      })),
    },
    data_time: readTime,
    computed_at: readTime,
  };
}

/** One canary ad of the minute facts, summed over its rows of a minute (JSONEachRow: Int64 as a string). */
export interface CanaryAdRow {
  period: string;
  campaign_id: string;
  ad_id: string;
  impressions: string | number;
}

export class CanaryAdDto {
  @ApiProperty({ description: 'ISO-8601, UTC: the minute' }) period!: string;
  @ApiProperty({ description: "The canary's campaign: CANARY: and the campaign id its events gave" })
  campaign_id!: string;
  @ApiProperty({ description: 'The ad: the canary’s marker' }) ad_id!: string;
  @ApiProperty() impressions!: number;
}

export class CanaryAdsDataDto {
  @ApiProperty({
    type: [CanaryAdDto],
    description: `The canary campaigns' ads of the minute facts of the last ${CANARY_LOOKBACK_MS / MINUTE_MS} minutes, newest first`,
  })
  ads!: CanaryAdDto[];
}

/** GET /v1/canary/ads: data_time and computed_at are when ClickHouse was read. */
export class CanaryAdsAnswerDto extends AnswerEnvelopeDto(CanaryAdsDataDto) {}

export type CanaryAdsSnapshot = AnswerSnapshot<CanaryAdsDataDto>;

export function mapCanaryAds(rows: CanaryAdRow[], readAt: Date): CanaryAdsSnapshot {
  const readTime = readAt.toISOString();
  return {
    data: {
      ads: rows.map((row) => ({
        period: iso(row.period),
        campaign_id: row.campaign_id,
        ad_id: row.ad_id,
        impressions: Number(row.impressions),
      })),
    },
    data_time: readTime,
    computed_at: readTime,
  };
}
