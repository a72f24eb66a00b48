import { describe, expect, it } from 'vitest';
import { ClickHouseError } from './clickhouse-error';
import { QueryText } from './request-body';

describe(QueryText.name, () => {
  it('should keep the bytes appended, in order', () => {
    const text = new QueryText(1024, Buffer.from('SELECT '));
    text.append(Buffer.from('1'));
    text.append(Buffer.from(' + 2'));
    expect(text.bytes.toString()).toBe('SELECT 1 + 2');
    expect(text.length).toBe(12);
    expect(text.over).toBe(false);
  });

  it('should grow by doubling, so many small chunks cost linear copying', () => {
    const text = new QueryText(64 * 1024 * 1024);
    const chunk = Buffer.alloc(1000, 0x61);
    for (let i = 0; i < 10_000; i++) text.append(chunk);
    expect(text.length).toBe(10_000_000);
    expect(text.bytes.every((byte) => byte === 0x61)).toBe(true);
  });

  it('should take the chunk that crosses the limit, then refuse with Code 62 Max query size exceeded', () => {
    const text = new QueryText(10);
    text.append(Buffer.from('SELECT 1'));
    text.append(Buffer.from(' + 2 + 3'));
    expect(text.over).toBe(true);
    expect(() => text.check()).toThrow(ClickHouseError);
    let error: ClickHouseError | undefined;
    try {
      text.append(Buffer.from('x'));
    } catch (thrown) {
      error = thrown as ClickHouseError;
    }
    expect(error?.code).toBe(62);
    expect(error?.type).toBe('SYNTAX_ERROR');
    expect(error?.message).toMatch(/^Max query size exceeded: .*more than 10, .*CHDB_MAX_QUERY_BYTES/);
  });

  it('should accept exactly the limit', () => {
    const text = new QueryText(4);
    text.append(Buffer.from('abcd'));
    expect(() => text.check()).not.toThrow();
  });
});
