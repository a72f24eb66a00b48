import { describe, expect, it } from 'vitest';
import { SseParser } from './sse-parser';

describe(SseParser.name, () => {
  describe('push', () => {
    it('should parse named events with their data', () => {
      const parser = new SseParser();

      const events = parser.push(
        'event: answer\ndata: {"answer":"trending-1m"}\n\nevent: status\ndata: {"live":true}\n\n',
      );

      expect(events).toEqual([
        { event: 'answer', data: '{"answer":"trending-1m"}' },
        { event: 'status', data: '{"live":true}' },
      ]);
    });

    it('should complete an event split across chunks anywhere, even inside a CRLF', () => {
      const parser = new SseParser();
      const text = 'event: answer\r\ndata: {"a":1}\r\n\r\n';

      const events = [...text].flatMap((char) => parser.push(char));

      expect(events).toEqual([{ event: 'answer', data: '{"a":1}' }]);
    });

    it('should ignore comments (heartbeats) and events without data', () => {
      const parser = new SseParser();

      expect(parser.push(': heartbeat\n\nevent: empty\n\n')).toEqual([]);
    });

    it('should join data lines and name an unnamed event message', () => {
      const parser = new SseParser();

      expect(parser.push('data: one\ndata:two\n\n')).toEqual([{ event: 'message', data: 'one\ntwo' }]);
    });

    it('should keep the reconnect delay the server asks for', () => {
      const parser = new SseParser();

      parser.push('retry: 2000\n\n');
      parser.push('retry: soon\n\n');

      expect(parser.retryMs).toBe(2000);
    });
  });
});
