import { describe, expect, it } from 'vitest';
import { headerLength, streamModeFor } from './stream-formats';

describe(streamModeFor.name, () => {
  it('should stream row formats as they are, headed formats without repeated headers, documents not at all', () => {
    expect(streamModeFor('JSONEachRow')).toEqual({ kind: 'rows' });
    expect(streamModeFor('TabSeparated')).toEqual({ kind: 'rows' });
    expect(streamModeFor('CSVWithNames')).toEqual({ kind: 'text-header', lines: 1 });
    expect(streamModeFor('JSONCompactEachRowWithNamesAndTypes')).toEqual({
      kind: 'text-header',
      lines: 2,
    });
    expect(streamModeFor('RowBinaryWithNamesAndTypes')).toEqual({
      kind: 'binary-header',
      withTypes: true,
    });
    for (const document of ['JSON', 'JSONCompact', 'XML', 'Pretty', 'Parquet', 'Arrow', 'Values'])
      expect(streamModeFor(document)).toBeUndefined();
  });
});

describe(headerLength.name, () => {
  it('should measure text headers by lines', () => {
    expect(headerLength(Buffer.from('a\tb\nUInt8\tString\n1\tx\n'), { kind: 'text-header', lines: 2 })).toBe(17);
  });

  it('should measure a RowBinary header by its column count and strings', () => {
    // 2 columns: "n", "s", then types "UInt8", "String", then a row.
    const header = Buffer.from([2, 1, 0x6e, 1, 0x73, 5, ...Buffer.from('UInt8'), 6, ...Buffer.from('String')]);
    const chunk = Buffer.concat([header, Buffer.from([7, 1, 0x78])]);
    expect(headerLength(chunk, { kind: 'binary-header', withTypes: true })).toBe(header.length);
    expect(
      headerLength(Buffer.from([2, 1, 0x6e, 1, 0x73, 9]), {
        kind: 'binary-header',
        withTypes: false,
      }),
    ).toBe(5);
  });
});
