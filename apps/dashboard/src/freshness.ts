import type { AnswerEnvelope } from './types';
import { formatAge } from './format';

/** Why a read failed, as the page tells it apart. */
export interface FetchFailure {
  kind: 'unauthorized' | 'forbidden' | 'unavailable' | 'rate-limited' | 'unreachable' | 'failed';
  /** The HTTP status, or null when the API was not reached. */
  status: number | null;
  /** The API's own words (problem details' `detail`), or what went wrong on the way. */
  detail: string;
  /** Retry-After, when the API sent one. */
  retryAfterMs: number | null;
  /** The dependencies a 503 names (redis, clickhouse). */
  dependencies: string[];
}

/** What the page holds of one request: its last good answer, and the failure since, if any. */
export interface AnswerView<T = unknown> {
  answer?: { envelope: AnswerEnvelope<T>; receivedAt: number };
  failure?: { failure: FetchFailure; at: number };
}

export type PanelState = 'loading' | 'fresh' | 'stale' | 'down';

export interface PanelStatus {
  state: PanelState;
  /** The badge's word: Live, Stale, Source down, Loading, No data yet. */
  badge: string;
  /** "Updated 4 s ago", or '' before any data. */
  age: string;
  /** What a person should know, in a sentence; null when all is well. */
  note: string | null;
}

/**
 * The answer's age now: the API's age_ms when it answered plus the time since, so the browser's
 * clock (which may be off) plays no part. Null when the answer describes no time yet.
 */
export function ageNow(answer: { envelope: AnswerEnvelope<unknown>; receivedAt: number }, now: number): number | null {
  return answer.envelope.age_ms === null ? null : answer.envelope.age_ms + Math.max(0, now - answer.receivedAt);
}

const NAMES: Record<string, string> = { clickhouse: 'ClickHouse', redis: 'Redis' };

function downNote(failure: FetchFailure): string {
  if (failure.kind === 'unreachable') return 'The API cannot be reached; retrying.';
  if (failure.kind === 'unavailable') {
    const names = failure.dependencies.map((name) => NAMES[name] ?? name);
    const which = names.length > 0 ? names.join(' and ') : 'A data source';
    return `${which} ${names.length > 1 ? 'are' : 'is'} down and there is no recent copy of this data to show.`;
  }
  return `The API answered ${failure.status ?? 'nothing'}: ${failure.detail}`;
}

/**
 * A panel's state for a person, the one rule of the page:
 * - down: the last read failed (the API answered 503, or could not be reached); older data stays
 *   on screen with its age;
 * - stale: the answer says so (`stale: true`, e.g. the last good copy served while ClickHouse is
 *   down), or it has grown older than its stale_after_ms since;
 * - fresh otherwise.
 */
export function panelStatus(view: AnswerView, now: number): PanelStatus {
  const { answer, failure } = view;
  const ageMs = answer ? ageNow(answer, now) : null;
  const age = ageMs === null ? '' : `Updated ${formatAge(ageMs)} ago`;
  const failed = failure && (!answer || failure.at >= answer.receivedAt) ? failure.failure : undefined;
  if (failed && failed.kind !== 'rate-limited') {
    const shown = answer ? ` Showing what was received earlier.` : '';
    return {
      state: 'down',
      badge: failed.kind === 'unreachable' ? 'API unreachable' : 'Source down',
      age,
      note: downNote(failed) + shown,
    };
  }
  if (!answer) return { state: 'loading', badge: 'Loading', age: '', note: null };
  const { envelope } = answer;
  if (ageMs === null) {
    return { state: 'stale', badge: 'No data yet', age, note: 'Nothing has been computed for this panel yet.' };
  }
  const expected = formatAge(envelope.stale_after_ms);
  if (ageMs > envelope.stale_after_ms) {
    return {
      state: 'stale',
      badge: 'Stale',
      age,
      note: `This data is ${formatAge(ageMs)} old; it is normally under ${expected}. The pipeline is behind or a source is down.`,
    };
  }
  if (envelope.stale) {
    return {
      state: 'stale',
      badge: 'Stale',
      age,
      note: 'A data source is not answering: this is the last good copy.',
    };
  }
  return { state: 'fresh', badge: 'Live', age, note: null };
}
