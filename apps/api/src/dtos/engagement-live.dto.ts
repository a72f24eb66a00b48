import { ApiProperty } from '@nestjs/swagger';
import type { AnswerSnapshot } from '@social-pulse/shared';
import { z } from 'zod';
import { AnswerEnvelopeDto } from './answer-envelope.dto';

/**
 * The session job reports a session in progress every second (visible at its next 3-second
 * checkpoint): caching longer would hide its updates.
 */
export const LIVE_CACHE_TTL_SECONDS = 2;
/** "Recently active" reaches back this far, in whole minutes of engagement_minute. */
export const RECENT_MINUTES = 5;

/** GET /v1/engagement/live reads no parameters (so any is refused as unknown). */
export const liveEngagementQuerySchema = z.object({});

/** The one row of the live query (JSONEachRow: UInt64 may arrive as a string). */
export interface LiveEngagementRow {
  active_sessions: string | number;
  active_users: string | number;
  recent_users: string | number;
  recent_sessions: string | number;
  recent_events: string | number;
}

export class LiveEngagementDataDto {
  @ApiProperty({ description: 'Distinct visitors with a session in progress' }) active_users!: number;
  @ApiProperty({ description: 'Sessions in progress: reported active by the session job, last event < 35 min ago' })
  active_sessions!: number;
  @ApiProperty({
    description: `Distinct visitors with an event in the last ${RECENT_MINUTES} minutes (whole minutes: the current one and the ${RECENT_MINUTES} before it)`,
  })
  users_last_5_minutes!: number;
  @ApiProperty({ description: 'Distinct client sessions with an event in those minutes' })
  sessions_last_5_minutes!: number;
  @ApiProperty({ description: 'Events in those minutes' }) events_last_5_minutes!: number;
}

/** GET /v1/engagement/live: data_time and computed_at are when ClickHouse was read. */
export class LiveEngagementAnswerDto extends AnswerEnvelopeDto(LiveEngagementDataDto) {}

export type LiveEngagementSnapshot = AnswerSnapshot<LiveEngagementDataDto>;

/** The live row to the cached snapshot; no row (an empty result) reads as zeros. */
export function mapLiveEngagement(row: LiveEngagementRow | undefined, readAt: Date): LiveEngagementSnapshot {
  const readTime = readAt.toISOString();
  return {
    data: {
      active_users: Number(row?.active_users ?? 0),
      active_sessions: Number(row?.active_sessions ?? 0),
      users_last_5_minutes: Number(row?.recent_users ?? 0),
      sessions_last_5_minutes: Number(row?.recent_sessions ?? 0),
      events_last_5_minutes: Number(row?.recent_events ?? 0),
    },
    data_time: readTime,
    computed_at: readTime,
  };
}
