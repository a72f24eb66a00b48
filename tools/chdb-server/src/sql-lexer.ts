/**
 * Just enough of ClickHouse's lexer to find a statement's shape without parsing it: the
 * server must know where an INSERT's inline data starts (to stream it to the engine), what
 * output format a query ends with (for X-ClickHouse-Format), and whether the text holds more
 * than one statement. Everything else is left to the engine, which parses the real thing.
 */

export type TokenType = 'word' | 'quoted' | 'string' | 'number' | 'punct' | 'semicolon' | 'open' | 'close';

export interface Token {
  type: TokenType;
  start: number;
  end: number;
}

/** Lexing stopped inside a token or comment: more text is needed to know what comes next. */
export const INCOMPLETE = Symbol('incomplete');

const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);
const isWordStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c >= 128;
const isWordPart = (c: number) => isWordStart(c) || (c >= 48 && c <= 57) || c === 36;
const isDigit = (c: number) => c >= 48 && c <= 57;

/**
 * Returns the next significant token at or after `pos`, skipping whitespace and comments;
 * undefined at the end of the text; INCOMPLETE when the text ends inside a token.
 * `complete` says whether `text` is the whole input (a word at the very end is then finished).
 */
export function nextToken(text: string, pos: number, complete = true): Token | undefined | typeof INCOMPLETE {
  const n = text.length;
  while (pos < n) {
    const c = text.charCodeAt(pos);
    if (isSpace(c)) {
      pos++;
      continue;
    }
    // -- and # comments run to the end of the line (ClickHouse takes `#` followed by a space or `!`).
    if (
      (c === 45 && text.charCodeAt(pos + 1) === 45) ||
      (c === 35 && (text[pos + 1] === ' ' || text[pos + 1] === '!'))
    ) {
      const eol = text.indexOf('\n', pos);
      if (eol < 0) return complete ? undefined : INCOMPLETE;
      pos = eol + 1;
      continue;
    }
    if (c === 47 && text.charCodeAt(pos + 1) === 42) {
      // Block comments nest in ClickHouse.
      let depth = 0;
      let i = pos;
      while (i < n) {
        if (text.startsWith('/*', i)) {
          depth++;
          i += 2;
        } else if (text.startsWith('*/', i)) {
          depth--;
          i += 2;
          if (depth === 0) break;
        } else i++;
      }
      if (depth !== 0) return complete ? undefined : INCOMPLETE;
      pos = i;
      continue;
    }
    break;
  }
  if (pos >= n) return complete ? undefined : INCOMPLETE;
  const start = pos;
  const c = text.charCodeAt(pos);
  if (c === 39 || c === 34 || c === 96) {
    // '...' string, "..." and `...` identifiers: backslash escapes, and a doubled quote is one quote.
    let i = pos + 1;
    while (i < n) {
      const d = text.charCodeAt(i);
      if (d === 92) i += 2;
      else if (d === c) {
        if (text.charCodeAt(i + 1) === c) i += 2;
        else return { type: c === 39 ? 'string' : 'quoted', start, end: i + 1 };
      } else i++;
    }
    return complete ? { type: c === 39 ? 'string' : 'quoted', start, end: n } : INCOMPLETE;
  }
  if (c === 36) {
    // $tag$ heredoc $tag$
    const m = /^\$([A-Za-z0-9_]*)\$/.exec(text.slice(pos, pos + 64));
    if (m) {
      const close = text.indexOf(m[0], pos + m[0].length);
      if (close < 0) return complete ? { type: 'string', start, end: n } : INCOMPLETE;
      return { type: 'string', start, end: close + m[0].length };
    }
  }
  if (isWordStart(c)) {
    let i = pos + 1;
    while (i < n && isWordPart(text.charCodeAt(i))) i++;
    if (i === n && !complete) return INCOMPLETE;
    return { type: 'word', start, end: i };
  }
  if (isDigit(c) || (c === 46 && isDigit(text.charCodeAt(pos + 1)))) {
    let i = pos + 1;
    while (
      i < n &&
      (isWordPart(text.charCodeAt(i)) ||
        text[i] === '.' ||
        ((text[i] === '+' || text[i] === '-') && /[eEpP]/.test(text[i - 1])))
    )
      i++;
    if (i === n && !complete) return INCOMPLETE;
    return { type: 'number', start, end: i };
  }
  if (c === 59) return { type: 'semicolon', start, end: pos + 1 };
  if (c === 40 || c === 91 || c === 123) return { type: 'open', start, end: pos + 1 };
  if (c === 41 || c === 93 || c === 125) return { type: 'close', start, end: pos + 1 };
  return { type: 'punct', start, end: pos + 1 };
}

const word = (text: string, token: Token | undefined | typeof INCOMPLETE): string | undefined =>
  token && token !== INCOMPLETE && token.type === 'word' ? text.slice(token.start, token.end).toUpperCase() : undefined;

/** What the server needs to know about a statement before the engine sees it. */
export interface StatementShape {
  /** First keyword, upper case (SELECT, INSERT, CREATE, ...); '' for an empty query. */
  kind: string;
  /** The word after it (TEMPORARY in CREATE TEMPORARY TABLE), upper case. */
  secondWord?: string;
  /** The output format named by a trailing top-level `FORMAT name`, if any. */
  outputFormat?: string;
  /** Set when a second statement follows a `;`. */
  multiStatement: boolean;
  /** INTO OUTFILE / FROM INFILE name files on the server's disk: a server refuses them. */
  intoOutfile: boolean;
  fromInfile: boolean;
  /** For `INSERT ... FORMAT name <data>`: where the statement ends and its data starts. */
  insert?: InsertShape;
  /**
   * The most rows the statement can return, when a top-level `LIMIT n` (or `LIMIT m, n`) bounds it:
   * not `LIMIT n BY`, `WITH TIES`, an expression, or a LIMIT after UNION, EXCEPT or INTERSECT
   * (where it bounds only the last query).
   */
  rowLimit?: RowLimit;
}

export interface InsertShape {
  format: string;
  /** Offset at which `FROM INFILE` may be spliced in: before the top-level SETTINGS or FORMAT. */
  infilePosition: number;
  /** End of the format name: the statement is text[0, statementEnd). */
  statementEnd: number;
  /** First byte of the inline data, after ClickHouse's whitespace and first-newline rule. */
  dataStart: number;
}

/**
 * Reads the shape of the statement at the start of `text`. With `complete` false the text is
 * only a prefix (the request body may still be arriving): the answer is INCOMPLETE when the
 * prefix is too short to decide.
 */
export function analyzeStatement(text: string, complete = true): StatementShape | typeof INCOMPLETE {
  const shape: StatementShape = {
    kind: '',
    multiStatement: false,
    intoOutfile: false,
    fromInfile: false,
  };
  let pos = 0;
  let depth = 0;
  let previous: string | undefined;
  let first = true;
  let infilePosition: number | undefined;
  let setOperation = false;
  const isInsert = () => shape.kind === 'INSERT';
  while (true) {
    const token = nextToken(text, pos, complete);
    if (token === INCOMPLETE) return INCOMPLETE;
    if (!token) break;
    pos = token.end;
    if (token.type === 'open') {
      depth++;
      first = false;
      continue;
    }
    if (token.type === 'close') {
      depth = Math.max(0, depth - 1);
      previous = undefined;
      continue;
    }
    const upper = word(text, token);
    if (first && upper) shape.kind = upper;
    else if (shape.kind && shape.secondWord === undefined) shape.secondWord = upper ?? '';
    first = false;
    if (depth > 0) continue;
    if (token.type === 'semicolon') {
      const after = nextToken(text, pos, complete);
      if (after === INCOMPLETE) return INCOMPLETE;
      if (after) shape.multiStatement = true;
      break;
    }
    if (previous === 'INTO' && upper === 'OUTFILE') shape.intoOutfile = true;
    if (previous === 'FROM' && upper === 'INFILE') shape.fromInfile = true;
    if (upper === 'UNION' || upper === 'EXCEPT' || upper === 'INTERSECT') setOperation = true;
    if (upper === 'LIMIT' && !isInsert()) {
      const limit = topLevelLimit(text, pos, complete);
      if (limit === INCOMPLETE) return INCOMPLETE;
      shape.rowLimit = limit;
    }
    if (isInsert() && infilePosition === undefined && (upper === 'SETTINGS' || upper === 'FORMAT'))
      infilePosition = token.start;
    if (isInsert() && (upper === 'VALUES' || upper === 'SELECT' || upper === 'WITH')) {
      // The rest is VALUES data or a SELECT that the engine reads in full.
      return shape;
    }
    if (upper === 'FORMAT') {
      const name = nextToken(text, pos, complete);
      if (name === INCOMPLETE) return INCOMPLETE;
      if (name && (name.type === 'word' || name.type === 'quoted')) {
        const raw = text.slice(name.start, name.end);
        const format = name.type === 'quoted' ? raw.slice(1, -1) : raw;
        if (isInsert()) {
          if (!complete && name.end >= text.length) return INCOMPLETE;
          shape.insert = {
            format,
            infilePosition: infilePosition ?? token.start,
            statementEnd: name.end,
            dataStart: insertDataStart(text, name.end, complete) ?? -1,
          };
          if (shape.insert.dataStart < 0) return INCOMPLETE;
          return shape;
        }
        // A trailing FORMAT clause names the output format; FORMAT as a column name is not followed by a name and the end.
        const after = nextToken(text, name.end, complete);
        if (after === INCOMPLETE) return INCOMPLETE;
        const afterWord = word(text, after);
        if (!after || after.type === 'semicolon' || afterWord === 'SETTINGS') shape.outputFormat = format;
        pos = name.end;
        previous = undefined;
        continue;
      }
    }
    previous = upper;
  }
  if (setOperation) shape.rowLimit = undefined;
  return shape;
}

/** A LIMIT's row count: a number, or the name of the query parameter that gives it (`LIMIT {n:UInt32}`). */
export type RowLimit = number | { param: string };

/**
 * The row count of `LIMIT n`, `LIMIT m, n` or `LIMIT n OFFSET m` read from after the LIMIT
 * keyword; undefined when it does not bound the result (`BY`, `WITH TIES`, an expression) or
 * is followed by anything but the statement's FORMAT, SETTINGS or end.
 */
function topLevelLimit(text: string, pos: number, complete: boolean): RowLimit | undefined | typeof INCOMPLETE {
  const first = limitCount(text, pos, complete);
  if (first === INCOMPLETE) return INCOMPLETE;
  if (!first) return undefined;
  let count = first.count;
  let next = nextToken(text, first.end, complete);
  if (next === INCOMPLETE) return INCOMPLETE;
  if (next && next.type === 'punct' && text[next.start] === ',') {
    const second = limitCount(text, next.end, complete);
    if (second === INCOMPLETE) return INCOMPLETE;
    if (!second) return undefined;
    count = second.count;
    next = nextToken(text, second.end, complete);
  } else if (word(text, next) === 'OFFSET') {
    // LIMIT n OFFSET m BY x is a LIMIT BY too.
    const offset = next === undefined ? undefined : limitCount(text, next.end, complete);
    if (offset === INCOMPLETE) return INCOMPLETE;
    if (!offset) return undefined;
    next = nextToken(text, offset.end, complete);
  }
  if (next === INCOMPLETE) return INCOMPLETE;
  // Only the statement's end may follow; anything else (BY, WITH TIES, an operator) means no plain bound.
  if (!next || next.type === 'semicolon') return count;
  const after = word(text, next);
  return after === 'FORMAT' || after === 'SETTINGS' ? count : undefined;
}

/** A plain number or a `{name:Type}` parameter at `pos`, and where it ends. */
function limitCount(
  text: string,
  pos: number,
  complete: boolean,
): { count: RowLimit; end: number } | undefined | typeof INCOMPLETE {
  const token = nextToken(text, pos, complete);
  if (token === INCOMPLETE) return INCOMPLETE;
  if (!token) return undefined;
  const raw = text.slice(token.start, token.end);
  if (token.type === 'number') return /^\d+$/.test(raw) ? { count: Number(raw), end: token.end } : undefined;
  if (token.type !== 'open' || raw !== '{') return undefined;
  const name = nextToken(text, token.end, complete);
  if (name === INCOMPLETE) return INCOMPLETE;
  if (!name || (name.type !== 'word' && name.type !== 'quoted')) return undefined;
  const close = text.indexOf('}', name.end);
  if (close < 0) return complete ? undefined : INCOMPLETE;
  const param = text.slice(name.start, name.end);
  return { count: { param: name.type === 'quoted' ? param.slice(1, -1) : param }, end: close + 1 };
}

/** Data starts after spaces and tabs, then one optional "\r", then one optional "\n" (as ParserInsertQuery). */
function insertDataStart(text: string, from: number, complete: boolean): number | undefined {
  let i = from;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\f')) i++;
  if (!complete && i + 1 >= text.length) return undefined;
  if (text[i] === '\r') i++;
  if (text[i] === '\n') i++;
  return i;
}

/** Quotes a value as a ClickHouse string literal. */
export function quoteString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** Quotes a name as a ClickHouse identifier. */
export function quoteIdentifier(name: string): string {
  return `\`${name.replace(/\\/g, '\\\\').replace(/`/g, '\\`')}\``;
}
