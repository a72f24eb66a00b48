import { describe, expect, it } from 'vitest';
import type { Fetched } from './api';
import { AnswerBoard, type AnswerRequest } from './answer-board';
import type { AnswerView, FetchFailure } from './freshness';
import type { AnswerEnvelope } from './types';

/** The board hands the request to its reader; these never reach a client. */
const unused = () => Promise.reject(new Error('the test reads through its own reader'));

const REQUESTS: AnswerRequest[] = [
  { id: 'trending-1m', answer: 'trending-1m', read: unused },
  { id: 'by-device', answer: 'engagement-last-day', read: unused },
  { id: 'by-country', answer: 'engagement-last-day', read: unused },
];

const envelope = (staleAfterMs = 13_000): AnswerEnvelope<unknown> => ({
  data: {},
  data_time: '2026-11-27T12:00:00.000Z',
  computed_at: '2026-11-27T12:00:00.000Z',
  age_ms: 0,
  source: 'redis',
  stale: false,
  stale_after_ms: staleAfterMs,
});

const unavailable: FetchFailure = {
  kind: 'unavailable',
  status: 503,
  detail: 'down',
  retryAfterMs: 5_000,
  dependencies: ['clickhouse'],
};

/** An API whose answers the test releases one by one, with a clock the test moves. */
function newTestBoard() {
  let now = 1_000_000;
  const reads: { id: string; answer: (result?: Partial<Fetched<unknown>>) => void }[] = [];
  const changes: { id: string; view: AnswerView }[] = [];
  const sut = new AnswerBoard(
    REQUESTS,
    (request) =>
      new Promise<Fetched<unknown>>((resolve) =>
        reads.push({
          id: request.id,
          answer: (result) =>
            resolve({ ok: true, envelope: envelope(), receivedAt: now, ...result } as Fetched<unknown>),
        }),
      ),
    (id, view) => changes.push({ id, view }),
    () => now,
  );
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
  return {
    sut,
    reads,
    changes,
    settle,
    advance: (ms: number) => void (now += ms),
    /** Answers every read waiting now. */
    answerAll: async (result?: Partial<Fetched<unknown>>) => {
      for (const read of reads.splice(0)) read.answer(result);
      await settle();
    },
  };
}

describe(AnswerBoard.name, () => {
  describe('refreshAnswer', () => {
    it('should read every request shape of the refreshed answer, and nothing else', async () => {
      const { sut, reads } = newTestBoard();

      void sut.refreshAnswer('engagement-last-day');

      expect(reads.map((r) => r.id)).toEqual(['by-device', 'by-country']);
    });

    it('should read once more, not once per update, when updates arrive during a read', async () => {
      const { sut, reads, answerAll } = newTestBoard();
      void sut.refreshAnswer('trending-1m');

      void sut.refreshAnswer('trending-1m');
      void sut.refreshAnswer('trending-1m');
      void sut.refreshAnswer('trending-1m');
      expect(reads).toHaveLength(1);
      await answerAll();

      expect(reads).toHaveLength(1);
      await answerAll();
      expect(reads).toHaveLength(0);
    });

    it('should tell the page each answer read', async () => {
      const { sut, changes, answerAll } = newTestBoard();
      void sut.refreshAnswer('trending-1m');

      await answerAll();

      expect(changes.map((c) => c.id)).toEqual(['trending-1m']);
      expect(changes[0].view.answer?.envelope.stale_after_ms).toBe(13_000);
    });
  });

  describe('tick', () => {
    it('should read everything at first', () => {
      const { sut, reads } = newTestBoard();

      sut.tick();

      expect(reads).toHaveLength(3);
    });

    it('should read an answer nothing announced for longer than its stale_after_ms, and not before', async () => {
      const { sut, reads, advance, answerAll } = newTestBoard();
      sut.tick();
      await answerAll();

      advance(12_999);
      sut.tick();
      expect(reads).toHaveLength(0);
      advance(1);
      sut.tick();

      expect(reads).toHaveLength(3);
    });

    it('should keep the failure beside the last answer, and wait as long as Retry-After says', async () => {
      const { sut, reads, advance, answerAll } = newTestBoard();
      void sut.refresh('trending-1m');
      await answerAll();
      advance(13_000);
      void sut.refresh('trending-1m');
      await answerAll({ ok: false, failure: unavailable });

      const view = sut.view('trending-1m');
      expect(view.answer).toBeDefined();
      expect(view.failure?.failure.kind).toBe('unavailable');
      void sut.refreshAnswer('trending-1m');
      expect(reads).toHaveLength(0);
      advance(10_000);
      sut.tick();
      expect(reads.map((r) => r.id)).toContain('trending-1m');
    });
  });
});
