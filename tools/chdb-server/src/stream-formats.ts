/**
 * How a result in a given format may be streamed. chDB's streaming query formats each block
 * on its own, so only row-by-row formats concatenate into what a server sends: whole-document
 * formats (JSON, XML, Pretty, Parquet, Arrow, ...) repeat their framing per block and are
 * produced in one piece instead, and the header of a *WithNames format is kept from the first
 * block only.
 */
export type StreamMode =
  { kind: 'rows' } | { kind: 'text-header'; lines: number } | { kind: 'binary-header'; withTypes: boolean };

const ROW_FORMATS = new Set([
  'native',
  'jsoneachrow',
  'jsonlines',
  'ndjson',
  'jsonl',
  'tabseparated',
  'tsv',
  'tabseparatedraw',
  'tsvraw',
  'rawblob',
  'csv',
  'rowbinary',
  'tskv',
  'jsonstringseachrow',
  'jsoncompacteachrow',
  'jsoncompactstringseachrow',
  'msgpack',
  'bsoneachrow',
  'lineasstring',
  'customseparated',
]);

const TEXT_HEADER_BASES = new Set([
  'tabseparated',
  'tsv',
  'tabseparatedraw',
  'tsvraw',
  'csv',
  'jsoncompacteachrow',
  'jsoncompactstringseachrow',
]);

export function streamModeFor(format: string): StreamMode | undefined {
  const f = format.toLowerCase();
  if (ROW_FORMATS.has(f)) return { kind: 'rows' };
  const header = /^(.*?)withnames(andtypes)?$/.exec(f);
  if (!header) return undefined;
  const [, base, types] = header;
  if (TEXT_HEADER_BASES.has(base)) return { kind: 'text-header', lines: types ? 2 : 1 };
  if (base === 'rowbinary') return { kind: 'binary-header', withTypes: Boolean(types) };
  return undefined;
}

/** Length of the header that starts `chunk` (repeated by every block after the first). */
export function headerLength(chunk: Uint8Array, mode: StreamMode): number {
  if (mode.kind === 'rows') return 0;
  if (mode.kind === 'text-header') {
    let pos = 0;
    for (let line = 0; line < mode.lines; line++) {
      const eol = chunk.indexOf(0x0a, pos);
      if (eol < 0) return chunk.length;
      pos = eol + 1;
    }
    return pos;
  }
  // RowBinaryWithNames[AndTypes]: a LEB128 column count, then that many length-prefixed names (and types).
  let pos = 0;
  const varint = () => {
    let value = 0;
    let shift = 0;
    while (pos < chunk.length) {
      const byte = chunk[pos++];
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) break;
      shift += 7;
    }
    return value;
  };
  const columns = varint();
  const strings = mode.withTypes ? columns * 2 : columns;
  for (let i = 0; i < strings; i++) {
    const length = varint(); // read before adding: varint() moves pos itself
    pos += length;
  }
  return Math.min(pos, chunk.length);
}
