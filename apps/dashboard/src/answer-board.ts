import type { AnswerRead, Fetched } from './api';
import type { AnswerView } from './freshness';

/** One read the page keeps current, and the pre-computed answer whose refresh changes it. */
export interface AnswerRequest {
  id: string;
  /** The refresh that rewrites it (PRECOMPUTED_ANSWERS' name), as the update stream names it. */
  answer: string;
  /** The read, through the typed client. */
  read: AnswerRead;
}

/** When nothing announced a change for this long, the page asks anyway (a refresher stopped). */
const MIN_RECHECK_MS = 5_000;
/** After a failed read, the next try (unless the API said when in Retry-After). */
const RETRY_AFTER_FAILURE_MS = 10_000;

interface RequestState extends AnswerView {
  request: AnswerRequest;
  inFlight: boolean;
  /** An update arrived during the read: read again when it ends. */
  again: boolean;
  /** When the last read started; 0 before the first. */
  startedAt: number;
  /** No read before this (Retry-After of a 429 or 503). */
  notBefore: number;
}

/**
 * The answers the page shows, read when the update stream says they changed, not on a timer:
 * updates of one answer arriving together (its request shapes are written one after another) cost
 * one read per request. A request nothing announced for longer than its answer's stale_after_ms is
 * read anyway, so a stopped refresher or a lost stream shows as growing age, then as stale.
 */
export class AnswerBoard {
  private readonly states = new Map<string, RequestState>();

  constructor(
    requests: AnswerRequest[],
    private readonly read: (request: AnswerRequest) => Promise<Fetched<unknown>>,
    private readonly changed: (id: string, view: AnswerView) => void,
    private readonly clock: () => number = () => Date.now(),
  ) {
    for (const request of requests) {
      this.states.set(request.id, { request, inFlight: false, again: false, startedAt: 0, notBefore: 0 });
    }
  }

  view(id: string): AnswerView {
    const state = this.states.get(id);
    return { answer: state?.answer, failure: state?.failure };
  }

  /** Reads every request (at start, after the stream was lost, when the subscription came back). */
  refreshAll(): Promise<void> {
    return Promise.all([...this.states.keys()].map((id) => this.refresh(id))).then(() => undefined);
  }

  /** Reads the requests of a refreshed answer. */
  refreshAnswer(answer: string): Promise<void> {
    const ids = [...this.states.values()].filter((s) => s.request.answer === answer).map((s) => s.request.id);
    return Promise.all(ids.map((id) => this.refresh(id))).then(() => undefined);
  }

  /** Called every second: reads what has not been read for longer than it may go unannounced. */
  tick(): void {
    const now = this.clock();
    for (const state of this.states.values()) {
      if (!state.inFlight && now - state.startedAt >= this.recheckAfterMs(state)) void this.refresh(state.request.id);
    }
  }

  async refresh(id: string): Promise<void> {
    const state = this.states.get(id);
    if (!state) return;
    if (state.inFlight) {
      state.again = true;
      return;
    }
    if (this.clock() < state.notBefore) return;
    state.inFlight = true;
    state.startedAt = this.clock();
    try {
      const result = await this.read(state.request);
      if (result.ok) {
        state.answer = { envelope: result.envelope, receivedAt: result.receivedAt };
        state.failure = undefined;
        state.notBefore = 0;
      } else {
        state.failure = { failure: result.failure, at: result.receivedAt };
        state.notBefore = result.receivedAt + (result.failure.retryAfterMs ?? 0);
      }
    } finally {
      state.inFlight = false;
    }
    this.changed(id, this.view(id));
    if (state.again) {
      state.again = false;
      await this.refresh(id);
    }
  }

  private recheckAfterMs(state: RequestState): number {
    if (state.startedAt === 0) return 0;
    if (state.failure) return Math.max(RETRY_AFTER_FAILURE_MS, state.failure.failure.retryAfterMs ?? 0);
    return Math.max(MIN_RECHECK_MS, state.answer?.envelope.stale_after_ms ?? MIN_RECHECK_MS);
  }
}
