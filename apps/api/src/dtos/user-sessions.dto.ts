import { ApiProperty } from '@nestjs/swagger';
import type { AnswerSnapshot } from '@social-pulse/shared';
import { z } from 'zod';
import { AnswerEnvelopeDto } from './answer-envelope.dto';
import {
  ceilTo,
  DAY_MS,
  isoFromClickHouse as iso,
  isoTimeParam,
  intParam,
  MINUTE_MS,
  rangeProblem,
} from './time-params';

/** A journey view follows sessions in progress (reported every second) closely enough at 5 s. */
export const USER_SESSIONS_CACHE_TTL_SECONDS = 5;
export const USER_SESSIONS_DEFAULT_SPAN_MS = 7 * DAY_MS;
/** Sessions are kept 180 days; one request reads at most a quarter of them (90 day partitions). */
export const USER_SESSIONS_MAX_SPAN_MS = 90 * DAY_MS;
export const MAX_USER_SESSIONS_LIMIT = 500;
/** The collector's ids are at most 128 characters; an anonymous visitor's is 'a:' and its anonymous id. */
export const MAX_USER_ID_LENGTH = 130;

/**
 * GET /v1/users/{user_id}/sessions's parameters: sessions that started in [from, to). Without `to`
 * it is now, rounded up to the minute (so repeated requests share a cache key for that minute);
 * without `from`, 7 days before `to`.
 */
export const userSessionsQuerySchema = z
  .object({
    user_id: z
      .string({ error: 'user_id is required' })
      .min(1, 'user_id must not be empty')
      .max(MAX_USER_ID_LENGTH, `user_id must be at most ${MAX_USER_ID_LENGTH} characters`),
    from: isoTimeParam('from'),
    to: isoTimeParam('to'),
    limit: intParam('limit', 1, MAX_USER_SESSIONS_LIMIT, 100),
  })
  .transform((query, ctx) => {
    const to = query.to ?? ceilTo(Date.now(), MINUTE_MS);
    const from = query.from ?? Math.max(0, to - USER_SESSIONS_DEFAULT_SPAN_MS);
    const problem = rangeProblem({ from, to, maxSpanMs: USER_SESSIONS_MAX_SPAN_MS, maxSpan: '90 days' });
    if (problem) {
      ctx.addIssue({ code: 'custom', message: problem });
      return z.NEVER;
    }
    return { user_id: query.user_id, from: new Date(from), to: new Date(to), limit: query.limit };
  });

export type UserSessionsQuery = z.infer<typeof userSessionsQuerySchema>;

/** One row of `sessions` FINAL in JSONEachRow. */
export interface UserSessionRow {
  session_id: string;
  client_session_id: string;
  session_start: string;
  session_end: string;
  duration_ms: string | number;
  events: number;
  page_views: number;
  distinct_pages: number;
  entry_page: string;
  exit_page: string;
  posts_created: number;
  likes: number;
  comments: number;
  shares: number;
  device_type: string;
  os: string;
  country: string;
  is_bounce: boolean;
  status: UserSessionStatus;
}

export const USER_SESSION_STATUSES = ['active', 'closed', 'sealed'] as const;
export type UserSessionStatus = (typeof USER_SESSION_STATUSES)[number];

export class UserSessionDto {
  @ApiProperty({ description: 'The session job’s id of the session (UUID)' }) session_id!: string;
  @ApiProperty({ description: 'The session id the client sent' }) client_session_id!: string;
  @ApiProperty({ description: 'First event (ISO-8601, UTC)' }) session_start!: string;
  @ApiProperty({ description: 'Last event so far (ISO-8601, UTC)' }) session_end!: string;
  @ApiProperty() duration_ms!: number;
  @ApiProperty() events!: number;
  @ApiProperty() page_views!: number;
  @ApiProperty() distinct_pages!: number;
  @ApiProperty() entry_page!: string;
  @ApiProperty() exit_page!: string;
  @ApiProperty() posts_created!: number;
  @ApiProperty() likes!: number;
  @ApiProperty() comments!: number;
  @ApiProperty() shares!: number;
  @ApiProperty() device_type!: string;
  @ApiProperty() os!: string;
  @ApiProperty() country!: string;
  @ApiProperty({ description: 'One page view and nothing else' }) is_bounce!: boolean;
  @ApiProperty({
    enum: USER_SESSION_STATUSES,
    description: 'active: in progress; closed: ended, late events may still revise it; sealed: final',
  })
  status!: UserSessionStatus;
}

export class UserSessionsDataDto {
  @ApiProperty() user_id!: string;
  @ApiProperty({ description: 'Sessions that started at or after this (ISO-8601, UTC)' }) from!: string;
  @ApiProperty({ description: '... and before this' }) to!: string;
  @ApiProperty({ type: [UserSessionDto], description: 'Newest first, at most limit' }) sessions!: UserSessionDto[];
  @ApiProperty({ description: 'True when the range holds more sessions than limit' }) has_more!: boolean;
}

/** GET /v1/users/{user_id}/sessions: data_time and computed_at are when ClickHouse was read. */
export class UserSessionsAnswerDto extends AnswerEnvelopeDto(UserSessionsDataDto) {}

export type UserSessionsSnapshot = AnswerSnapshot<UserSessionsDataDto>;

/** The rows (newest first; the query asks for one more than limit, to tell whether there are more). */
export function mapUserSessions(query: UserSessionsQuery, rows: UserSessionRow[], readAt: Date): UserSessionsSnapshot {
  const readTime = readAt.toISOString();
  return {
    data: {
      user_id: query.user_id,
      from: query.from.toISOString(),
      to: query.to.toISOString(),
      sessions: rows.slice(0, query.limit).map((row) => ({
        session_id: row.session_id,
        client_session_id: row.client_session_id,
        session_start: iso(row.session_start),
        session_end: iso(row.session_end),
        duration_ms: Number(row.duration_ms),
        events: Number(row.events),
        page_views: Number(row.page_views),
        distinct_pages: Number(row.distinct_pages),
        entry_page: row.entry_page,
        exit_page: row.exit_page,
        posts_created: Number(row.posts_created),
        likes: Number(row.likes),
        comments: Number(row.comments),
        shares: Number(row.shares),
        device_type: row.device_type,
        os: row.os,
        country: row.country,
        is_bounce: Boolean(row.is_bounce),
        status: row.status,
      })),
      has_more: rows.length > query.limit,
    },
    data_time: readTime,
    computed_at: readTime,
  };
}
