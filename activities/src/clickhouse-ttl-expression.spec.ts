import { describe, expect, it } from 'vitest';
import { ttlClauseOf } from './clickhouse-ttl-expression';

describe(ttlClauseOf.name, () => {
  it('should read the delete expression between TTL and SETTINGS', () => {
    expect(
      ttlClauseOf(
        'ReplacingMergeTree PARTITION BY toDate(event_time) ORDER BY (user_id, event_time, event_id) ' +
          'TTL toDateTime(event_time) + toIntervalDay(90) SETTINGS non_replicated_deduplication_window = 1000, index_granularity = 8192',
      ),
    ).toEqual({ kind: 'delete', expression: 'toDateTime(event_time) + toIntervalDay(90)' });
  });

  it("should keep an expression computed from several columns of the row, as trending_topics' is", () => {
    const ttl = "toDateTime(window_end) + toIntervalSecond(120 * dateDiff('second', window_start, window_end))";
    expect(
      ttlClauseOf(
        `ReplacingMergeTree(computed_at) PARTITION BY (window_size, toStartOfHour(window_end)) ORDER BY (window_size, window_end, rank) TTL ${ttl} SETTINGS index_granularity = 8192`,
      ),
    ).toEqual({ kind: 'delete', expression: ttl });
  });

  it('should read a TTL that ends the definition, and drop an explicit DELETE', () => {
    expect(ttlClauseOf('MergeTree ORDER BY ts TTL ts + toIntervalDay(1)')).toEqual({
      kind: 'delete',
      expression: 'ts + toIntervalDay(1)',
    });
    expect(ttlClauseOf('MergeTree ORDER BY ts TTL ts + toIntervalDay(1) DELETE SETTINGS x = 1')).toEqual({
      kind: 'delete',
      expression: 'ts + toIntervalDay(1)',
    });
  });

  it('should not be fooled by the words TTL, SETTINGS or a comma inside strings, identifiers or calls', () => {
    expect(
      ttlClauseOf(
        "MergeTree ORDER BY `TTL` TTL parseDateTime('SETTINGS, TTL', `a,b`) + toIntervalDay(1) SETTINGS x = 1",
      ),
    ).toEqual({ kind: 'delete', expression: "parseDateTime('SETTINGS, TTL', `a,b`) + toIntervalDay(1)" });
  });

  it('should say none for a table without a TTL', () => {
    expect(ttlClauseOf('MergeTree ORDER BY version SETTINGS index_granularity = 8192')).toEqual({ kind: 'none' });
    expect(ttlClauseOf('MaterializedView')).toEqual({ kind: 'none' });
  });

  it.each([
    ['several clauses', "ts + toIntervalDay(1), ts + toIntervalDay(7) TO VOLUME 'cold'"],
    ['a conditional delete', "ts + toIntervalDay(1) DELETE WHERE kind = 'debug'"],
    ['a rollup', 'ts + toIntervalDay(1) GROUP BY k SET v = sum(v)'],
    ['a move', "ts + toIntervalDay(1) TO DISK 'cold'"],
    ['a recompression', 'ts + toIntervalDay(1) RECOMPRESS CODEC(ZSTD(9))'],
  ])('should leave %s alone, as unsupported', (_case, ttl) => {
    expect(ttlClauseOf(`MergeTree ORDER BY ts TTL ${ttl} SETTINGS index_granularity = 8192`)).toEqual({
      kind: 'unsupported',
      ttl,
    });
  });
});
