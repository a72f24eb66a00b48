import type { AnswerUpdateFeed } from '../services/answer-updates.service';

/** The refresh workflows' channel as a test drives it: messages and the subscription's state on demand. */
export class FakeAnswerUpdateFeed implements AnswerUpdateFeed {
  /** How often the API started and stopped its subscription. */
  starts = 0;
  stops = 0;
  private handlers?: { message: (raw: string) => void; live: (live: boolean) => void };

  start(handlers: { message: (raw: string) => void; live: (live: boolean) => void }): void {
    this.starts += 1;
    this.handlers = handlers;
  }

  async stop(): Promise<void> {
    this.stops += 1;
  }

  /** A message on the channel: an object is sent as JSON, a string as it is. */
  publish(message: Record<string, unknown> | string): void {
    if (!this.handlers) throw new Error('nothing subscribed yet');
    this.handlers.message(typeof message === 'string' ? message : JSON.stringify(message));
  }

  setLive(live: boolean): void {
    if (!this.handlers) throw new Error('nothing subscribed yet');
    this.handlers.live(live);
  }
}
