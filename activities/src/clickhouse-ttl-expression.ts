/**
 * A table's delete TTL, read from the table's own definition (`system.tables.engine_full`), so the
 * migrations stay the one home of every retention: trending_topics' TTL is computed from two columns
 * of the row (`toDateTime(window_end) + toIntervalSecond(120 * dateDiff(...))`), which a catalogue of
 * "column + interval" could not express, and a copy of the intervals would drift from the migrations.
 *
 * Pure: the text is scanned at bracket depth 0, outside quotes, as ClickHouse prints it.
 */
export type TtlClause =
  | { kind: 'none' }
  | { kind: 'delete'; expression: string }
  /** A TTL this maintenance does not evaluate (several clauses, WHERE, GROUP BY, TO DISK/VOLUME, RECOMPRESS). */
  | { kind: 'unsupported'; ttl: string };

/** Words that end the TTL clause in `engine_full` (the clauses ClickHouse prints after it). */
const AFTER_TTL = new Set(['SETTINGS', 'COMMENT']);
/** Words inside a TTL clause that make it something other than a plain row delete. */
const NOT_A_PLAIN_DELETE = new Set(['WHERE', 'GROUP', 'TO', 'RECOMPRESS', 'SET']);

interface Word {
  word: string;
  start: number;
  end: number;
}

/** The words and commas at bracket depth 0, outside quoted strings and identifiers. */
function topLevelWords(text: string): Word[] {
  const words: Word[] = [];
  let depth = 0;
  for (let i = 0; i < text.length;) {
    const c = text[i];
    if (c === "'" || c === '`' || c === '"') {
      i = skipQuoted(text, i);
    } else if (c === '(' || c === '[') {
      depth++;
      i++;
    } else if (c === ')' || c === ']') {
      depth--;
      i++;
    } else if (/[A-Za-z_]/.test(c)) {
      const start = i;
      while (i < text.length && /[A-Za-z0-9_]/.test(text[i])) i++;
      if (depth === 0) words.push({ word: text.slice(start, i).toUpperCase(), start, end: i });
    } else if (/[0-9]/.test(c)) {
      // A number (7, 1e3, 0x1F): its letters are not words.
      while (i < text.length && /[0-9A-Za-z_.]/.test(text[i])) i++;
    } else {
      if (c === ',' && depth === 0) words.push({ word: ',', start: i, end: i + 1 });
      i++;
    }
  }
  return words;
}

/** The index just past a quoted string or identifier starting at `start` (backslash and doubled-quote escapes). */
function skipQuoted(text: string, start: number): number {
  const quote = text[start];
  let i = start + 1;
  while (i < text.length) {
    if (text[i] === '\\') i += 2;
    else if (text[i] === quote && text[i + 1] === quote) i += 2;
    else if (text[i] === quote) return i + 1;
    else i++;
  }
  return i;
}

/** The table's TTL from its `engine_full`: none, one plain delete expression, or one this maintenance leaves alone. */
export function ttlClauseOf(engineFull: string): TtlClause {
  const words = topLevelWords(engineFull);
  const at = words.findIndex((w) => w.word === 'TTL');
  if (at < 0) return { kind: 'none' };
  const endWord = words.slice(at + 1).find((w) => AFTER_TTL.has(w.word));
  const ttlWords = words.slice(at + 1).filter((w) => !endWord || w.start < endWord.start);
  const ttl = engineFull.slice(words[at].end, endWord ? endWord.start : engineFull.length).trim();
  if (ttl === '') return { kind: 'unsupported', ttl };
  if (ttlWords.some((w) => w.word === ',' || NOT_A_PLAIN_DELETE.has(w.word))) return { kind: 'unsupported', ttl };
  const last = ttlWords[ttlWords.length - 1];
  // `expr DELETE` is the default action spelled out; the expression is what comes before it.
  const expression =
    last?.word === 'DELETE' && engineFull.slice(last.end, endWord ? endWord.start : undefined).trim() === ''
      ? engineFull.slice(words[at].end, last.start).trim()
      : ttl;
  return expression === '' ? { kind: 'unsupported', ttl } : { kind: 'delete', expression };
}
