/** One server-sent event: its type (`message` when it names none) and its data lines joined. */
export interface SseEvent {
  event: string;
  data: string;
}

/**
 * The text/event-stream format (HTML's server-sent events), parsed incrementally from decoded
 * chunks that may end anywhere, even between the \r and \n of a line end. Comments (heartbeats)
 * produce nothing; `retry` is kept for the reconnect delay.
 */
export class SseParser {
  /** The server's reconnect delay in milliseconds, once it sent one. */
  retryMs: number | null = null;
  private buffer = '';
  private event = '';
  private data: string[] = [];

  /** Feeds the next chunk of text; returns the events it completed, in order. */
  push(chunk: string): SseEvent[] {
    this.buffer += chunk;
    const events: SseEvent[] = [];
    for (;;) {
      const end = this.buffer.search(/[\r\n]/);
      if (end < 0) break;
      // A \r that ends the buffer may be the first half of \r\n: wait for the next chunk.
      if (this.buffer[end] === '\r' && end === this.buffer.length - 1) break;
      const separator = this.buffer.startsWith('\r\n', end) ? 2 : 1;
      const line = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + separator);
      const event = this.line(line);
      if (event) events.push(event);
    }
    return events;
  }

  private line(line: string): SseEvent | undefined {
    if (line === '') {
      const event = this.data.length > 0 ? { event: this.event || 'message', data: this.data.join('\n') } : undefined;
      this.event = '';
      this.data = [];
      return event;
    }
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') this.event = value;
    else if (field === 'data') this.data.push(value);
    else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
    return undefined;
  }
}
