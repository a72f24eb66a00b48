import { describe, expect, it } from 'vitest';
import { INCOMPLETE, type StatementShape, analyzeStatement, quoteIdentifier, quoteString } from './sql-lexer';

/** The shape of a complete statement (never INCOMPLETE). */
const shapeOf = (text: string): StatementShape => {
  const shape = analyzeStatement(text);
  if (shape === INCOMPLETE) throw new Error('incomplete');
  return shape;
};

describe(analyzeStatement.name, () => {
  describe('statement kind and output format', () => {
    it('should name the first keyword and a trailing FORMAT clause', () => {
      expect(analyzeStatement('select 1 FORMAT JSONEachRow')).toMatchObject({
        kind: 'SELECT',
        outputFormat: 'JSONEachRow',
      });
      expect(analyzeStatement('SELECT 1 FORMAT CSV SETTINGS max_threads = 1')).toMatchObject({
        outputFormat: 'CSV',
      });
      expect(analyzeStatement('  -- comment\n/* block /* nested */ */ (SELECT 1)')).toMatchObject({
        kind: '',
      });
      expect(shapeOf('/* c */ WITH 1 AS x SELECT x')).toMatchObject({ kind: 'WITH' });
      expect(shapeOf('/* c */ WITH 1 AS x SELECT x').outputFormat).toBeUndefined();
    });

    it('should not take a column called format for a FORMAT clause', () => {
      expect(shapeOf('SELECT format FROM t').outputFormat).toBeUndefined();
      expect(shapeOf("SELECT 'FORMAT JSON'").outputFormat).toBeUndefined();
    });

    it('should read the row count a top-level LIMIT bounds the result to', () => {
      expect(shapeOf('SELECT x FROM t ORDER BY x LIMIT 10').rowLimit).toBe(10);
      expect(shapeOf('SELECT x FROM t LIMIT 5, 20 FORMAT JSONEachRow').rowLimit).toBe(20);
      expect(shapeOf('SELECT x FROM t LIMIT 20 OFFSET 5 SETTINGS max_threads = 1').rowLimit).toBe(20);
      expect(shapeOf('SELECT x FROM t LIMIT 1 BY x LIMIT 3').rowLimit).toBe(3);
      expect(shapeOf('SELECT x FROM t LIMIT {limit:UInt32}').rowLimit).toEqual({ param: 'limit' });
      expect(shapeOf('SELECT x FROM t LIMIT {o:UInt32}, {n:UInt32} FORMAT JSONEachRow').rowLimit).toEqual({
        param: 'n',
      });
    });

    it('should see no bound where LIMIT does not bound the whole result', () => {
      expect(shapeOf('SELECT x FROM t').rowLimit).toBeUndefined();
      expect(shapeOf('SELECT x FROM (SELECT x FROM t LIMIT 10)').rowLimit).toBeUndefined();
      expect(shapeOf('SELECT x FROM t LIMIT 1 BY x').rowLimit).toBeUndefined();
      expect(shapeOf('SELECT x FROM t LIMIT 2 OFFSET 1 BY x').rowLimit).toBeUndefined();
      expect(shapeOf('SELECT x FROM t ORDER BY x LIMIT 3 WITH TIES').rowLimit).toBeUndefined();
      expect(shapeOf('SELECT x FROM t LIMIT 1 + 2').rowLimit).toBeUndefined();
      expect(shapeOf('SELECT x FROM t LIMIT 5, 2 * 3').rowLimit).toBeUndefined();
      expect(shapeOf('SELECT x FROM t LIMIT {n:UInt32} * 2').rowLimit).toBeUndefined();
      expect(shapeOf('SELECT x FROM t UNION ALL SELECT x FROM u LIMIT 3').rowLimit).toBeUndefined();
      expect(shapeOf("SELECT 'LIMIT 3' FROM t").rowLimit).toBeUndefined();
    });

    it('should see CREATE TEMPORARY for what it is', () => {
      expect(analyzeStatement('CREATE TEMPORARY TABLE t (x UInt8)')).toMatchObject({
        kind: 'CREATE',
        secondWord: 'TEMPORARY',
      });
    });
  });

  describe('statements a server refuses', () => {
    it('should notice a second statement, but not a trailing semicolon', () => {
      expect(analyzeStatement('SELECT 1; SELECT 2')).toMatchObject({ multiStatement: true });
      expect(analyzeStatement('SELECT 1;  \n')).toMatchObject({ multiStatement: false });
      expect(analyzeStatement("SELECT ';' AS s")).toMatchObject({ multiStatement: false });
    });

    it('should notice INTO OUTFILE and FROM INFILE', () => {
      expect(analyzeStatement("SELECT 1 INTO OUTFILE '/tmp/x'")).toMatchObject({
        intoOutfile: true,
      });
      expect(analyzeStatement("INSERT INTO t FROM INFILE '/etc/passwd' FORMAT CSV")).toMatchObject({
        fromInfile: true,
      });
    });
  });

  describe('INSERT with inline data', () => {
    it('should find where the data starts, after spaces and one newline', () => {
      const text = 'INSERT INTO db.t (a, `b c`) SETTINGS x = 1 FORMAT JSONEachRow  \n{"a":1}\n';
      const shape = analyzeStatement(text);
      expect(shape).not.toBe(INCOMPLETE);
      const insert = (shape as Exclude<typeof shape, typeof INCOMPLETE>).insert!;
      expect(insert.format).toBe('JSONEachRow');
      expect(text.slice(0, insert.statementEnd)).toBe('INSERT INTO db.t (a, `b c`) SETTINGS x = 1 FORMAT JSONEachRow');
      expect(text.slice(insert.infilePosition, insert.infilePosition + 8)).toBe('SETTINGS');
      expect(text.slice(insert.dataStart)).toBe('{"a":1}\n');
    });

    it('should keep data that starts on the same line, and binary data after the name', () => {
      const same = analyzeStatement('INSERT INTO t FORMAT CSV 1,2\n') as {
        insert: { dataStart: number };
      };
      expect('INSERT INTO t FORMAT CSV 1,2\n'.slice(same.insert.dataStart)).toBe('1,2\n');
      const binary = `INSERT INTO t FORMAT RowBinary\n${String.fromCharCode(0, 255, 39, 34)}`;
      const shape = analyzeStatement(binary) as { insert: { dataStart: number } };
      expect(binary.slice(shape.insert.dataStart)).toBe(String.fromCharCode(0, 255, 39, 34));
    });

    it('should leave INSERT ... VALUES and INSERT ... SELECT to the engine', () => {
      expect(shapeOf("INSERT INTO t VALUES (1, 'FORMAT CSV')")).toMatchObject({ kind: 'INSERT' });
      expect(shapeOf("INSERT INTO t VALUES (1, 'FORMAT CSV')").insert).toBeUndefined();
      expect(shapeOf('INSERT INTO t SELECT * FROM s FORMAT CSV').insert).toBeUndefined();
    });

    it('should ask for more text while the statement may still be arriving', () => {
      expect(analyzeStatement('INSERT INTO t FORM', false)).toBe(INCOMPLETE);
      expect(analyzeStatement('INSERT INTO t FORMAT JSONEach', false)).toBe(INCOMPLETE);
      expect(analyzeStatement("INSERT INTO t (a) SETTINGS s = 'x", false)).toBe(INCOMPLETE);
      expect(analyzeStatement('INSERT INTO t FORMAT CSV\n1', false)).toMatchObject({
        insert: { format: 'CSV' },
      });
    });
  });
});

describe('quoting', () => {
  it('should escape quotes and backslashes', () => {
    expect(quoteString("it's \\ fine")).toBe("'it\\'s \\\\ fine'");
    expect(quoteIdentifier('we`ird')).toBe('`we\\`ird`');
  });
});
