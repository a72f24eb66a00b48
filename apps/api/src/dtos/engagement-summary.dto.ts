import { ApiProperty } from '@nestjs/swagger';
import type { AnswerSnapshot } from '@social-pulse/shared';
import { z } from 'zod';
import { AnswerEnvelopeDto } from './answer-envelope.dto';
import {
  ceilTo,
  DAY_MS,
  floorTo,
  HOUR_MS,
  isoFromClickHouse as iso,
  isoTimeParam,
  MINUTE_MS,
  rangeProblem,
  type IntervalRule,
} from './time-params';

export const ENGAGEMENT_INTERVALS = ['minute', 'hour', 'day'] as const;
export type EngagementInterval = (typeof ENGAGEMENT_INTERVALS)[number];

/** What a series may be broken down by; each maps to one fixed column (repositories/engagement-queries.ts). */
export const ENGAGEMENT_GROUP_BYS = ['device', 'os', 'country', 'event_type'] as const;
export type EngagementGroupBy = (typeof ENGAGEMENT_GROUP_BYS)[number];

/**
 * Per interval: a minute series covers the live dashboard (the last hour by default, a day at most:
 * 1,440 points, and minutes are kept 14 days); hours cover a month (744 points); days three years
 * (the day rollups' TTL). A minute answer is cached 5 s, an hour answer 30 s, a day answer 60 s.
 */
export const ENGAGEMENT_INTERVAL_RULES: Record<EngagementInterval, IntervalRule> = {
  minute: { periodMs: MINUTE_MS, defaultSpanMs: HOUR_MS, maxSpanMs: DAY_MS, maxSpan: '24 hours', cacheTtlSeconds: 5 },
  hour: { periodMs: HOUR_MS, defaultSpanMs: DAY_MS, maxSpanMs: 31 * DAY_MS, maxSpan: '31 days', cacheTtlSeconds: 30 },
  day: {
    periodMs: DAY_MS,
    defaultSpanMs: 30 * DAY_MS,
    maxSpanMs: 1096 * DAY_MS,
    maxSpan: '1096 days (3 years)',
    cacheTtlSeconds: 60,
  },
};

/**
 * GET /v1/engagement/summary's parameters. `to` defaults to now and `from` to the interval's default
 * span before it; the range is then widened to whole periods (from down, to up), so every point is a
 * whole period and a dashboard polling with to=now reuses one cache key for a whole period.
 */
export const engagementSummaryQuerySchema = z
  .object({
    from: isoTimeParam('from'),
    to: isoTimeParam('to'),
    interval: z
      .enum(ENGAGEMENT_INTERVALS, { error: `interval must be one of ${ENGAGEMENT_INTERVALS.join(', ')}` })
      .default('minute'),
    group_by: z
      .enum(ENGAGEMENT_GROUP_BYS, { error: `group_by must be one of ${ENGAGEMENT_GROUP_BYS.join(', ')}` })
      .optional(),
  })
  .transform((query, ctx) => {
    const rule = ENGAGEMENT_INTERVAL_RULES[query.interval];
    const to = query.to ?? Date.now();
    const from = query.from ?? Math.max(0, to - rule.defaultSpanMs);
    const problem = rangeProblem({ from, to, ...rule, context: `for interval=${query.interval}` });
    if (problem) {
      ctx.addIssue({ code: 'custom', message: problem });
      return z.NEVER;
    }
    return {
      interval: query.interval,
      group_by: query.group_by ?? null,
      from: new Date(floorTo(from, rule.periodMs)),
      to: new Date(ceilTo(to, rule.periodMs)),
    };
  });

export type EngagementSummaryQuery = z.infer<typeof engagementSummaryQuerySchema>;

/** One row of the engagement rollup query (JSONEachRow: UInt64 may arrive as a string). */
export interface EngagementRollupRow {
  period: string;
  group_value?: string;
  event_count: string | number;
  user_count: string | number;
  session_count: string | number;
}

/** One row of the session rollup query: sealed sessions' states merged with the unsealed ones'. */
export interface SessionRollupRow {
  period: string;
  group_value?: string;
  sessions: string | number;
  bounces: string | number;
  events: string | number;
  /** Duration quantiles 0.5, 0.9, 0.99 in ms; null (nan) when no session started. */
  duration_ms: (number | null)[];
}

export class EngagementPointDto {
  @ApiProperty({ description: 'Start of the period (ISO-8601, UTC)' }) period!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The group_by value of this series (empty when unknown); null without group_by',
  })
  group!: string | null;
  @ApiProperty({ description: 'Distinct visitors (user id, else anonymous id) with an event in the period' })
  active_users!: number;
  @ApiProperty({ description: 'Distinct client sessions with an event in the period' }) sessions!: number;
  @ApiProperty({ description: 'Events in the period' }) events!: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    description:
      'Sessions that started in the period (the denominator of the session metrics); null for group_by=event_type',
  })
  sessions_started!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Median duration of the sessions started, ms' })
  session_duration_p50_ms!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: '90th percentile duration of the sessions started, ms' })
  session_duration_p90_ms!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Share of the sessions started that bounced (0..1)' })
  bounce_rate!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Events of the sessions started, per session' })
  events_per_session!: number | null;
}

export class EngagementSummaryDataDto {
  @ApiProperty({ enum: ENGAGEMENT_INTERVALS }) interval!: EngagementInterval;
  @ApiProperty({ enum: ENGAGEMENT_GROUP_BYS, nullable: true }) group_by!: EngagementGroupBy | null;
  @ApiProperty({ description: 'Start of the first period (ISO-8601, UTC): the request’s from, down to a period' })
  from!: string;
  @ApiProperty({ description: 'End of the last period, exclusive: the request’s to, up to a period' }) to!: string;
  @ApiProperty({
    type: [EngagementPointDto],
    description:
      'Oldest first, then by group; periods without events are absent. Session metrics describe the sessions ' +
      'that started in the period (sealed and in progress); they are not broken down by event type.',
  })
  points!: EngagementPointDto[];
}

/** GET /v1/engagement/summary: data_time and computed_at are when ClickHouse was read. */
export class EngagementSummaryAnswerDto extends AnswerEnvelopeDto(EngagementSummaryDataDto) {}

export type EngagementSummarySnapshot = AnswerSnapshot<EngagementSummaryDataDto>;

const ratio = (value: number) => Math.round(value * 10_000) / 10_000;
const quantile = (value: number | null | undefined) =>
  value === null || value === undefined ? null : Math.round(value);

type SessionMetrics = Pick<
  EngagementPointDto,
  'sessions_started' | 'session_duration_p50_ms' | 'session_duration_p90_ms' | 'bounce_rate' | 'events_per_session'
>;

function sessionMetrics(row: SessionRollupRow | undefined, byEventType: boolean): SessionMetrics {
  const started = row ? Number(row.sessions) : 0;
  if (byEventType || started === 0) {
    return {
      sessions_started: byEventType ? null : 0,
      session_duration_p50_ms: null,
      session_duration_p90_ms: null,
      bounce_rate: null,
      events_per_session: null,
    };
  }
  return {
    sessions_started: started,
    session_duration_p50_ms: quantile(row?.duration_ms[0]),
    session_duration_p90_ms: quantile(row?.duration_ms[1]),
    bounce_rate: ratio(Number(row?.bounces) / started),
    events_per_session: ratio(Number(row?.events) / started),
  };
}

/**
 * The two queries' rows joined by period and group: a period with events but no session started
 * has zero sessions_started, one with sessions but no events yet (the archive lagging) zero events.
 */
export function mapEngagementSummary(
  query: EngagementSummaryQuery,
  engagement: EngagementRollupRow[],
  sessions: SessionRollupRow[],
  readAt: Date,
): EngagementSummarySnapshot {
  const grouped = query.group_by !== null;
  const key = (row: { period: string; group_value?: string }) => `${row.period}\u0000${row.group_value ?? ''}`;
  const sessionsByKey = new Map(sessions.map((row) => [key(row), row]));
  const rows = new Map(engagement.map((row) => [key(row), row]));
  for (const row of sessions) {
    if (!rows.has(key(row))) {
      rows.set(key(row), { ...row, event_count: 0, user_count: 0, session_count: 0 });
    }
  }
  const points = [...rows.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, row]) => ({
      period: iso(row.period),
      group: grouped ? (row.group_value ?? '') : null,
      active_users: Number(row.user_count),
      sessions: Number(row.session_count),
      events: Number(row.event_count),
      ...sessionMetrics(sessionsByKey.get(k), query.group_by === 'event_type'),
    }));
  const readTime = readAt.toISOString();
  return {
    data: {
      interval: query.interval,
      group_by: query.group_by,
      from: query.from.toISOString(),
      to: query.to.toISOString(),
      points,
    },
    data_time: readTime,
    computed_at: readTime,
  };
}
