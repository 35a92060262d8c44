import { describe, expect, it } from 'vitest';
import { toCsv } from '../../src/tracking/index.js';

const column = [{ key: 'v', header: 'value' }];

describe('toCsv', () => {
  it('writes a header row, then one CRLF-ended record per row', () => {
    const csv = toCsv(
      [
        { key: 'id', header: 'Conversion' },
        { key: 'payout', header: 'Payout' },
      ],
      [
        { id: 'cv_1', payout: '12.50' },
        { id: 'cv_2', payout: '0.00' },
      ],
    );
    expect(csv).toBe('Conversion,Payout\r\ncv_1,12.50\r\ncv_2,0.00\r\n');
  });

  it('writes only the header row when there are no rows', () => {
    expect(toCsv(column, [])).toBe('value\r\n');
  });

  it.each([
    { title: 'leaves a plain string alone', value: 'hello', cell: 'hello' },
    { title: 'writes null as an empty cell', value: null, cell: '' },
    { title: 'writes undefined as an empty cell', value: undefined, cell: '' },
    { title: 'writes a number as is', value: -5, cell: '-5' },
    { title: 'writes a fractional number as is', value: 0.25, cell: '0.25' },
    { title: 'writes a number that is not finite as an empty cell', value: Number.NaN, cell: '' },
    { title: 'writes a boolean', value: true, cell: 'true' },
    { title: 'writes a date in ISO 8601', value: new Date('2026-03-01T12:00:00Z'), cell: '2026-03-01T12:00:00.000Z' },
    { title: 'writes an object as JSON, quoted', value: { a: 1, b: 2 }, cell: '"{""a"":1,""b"":2}"' },
    { title: 'quotes a field with a comma', value: 'a,b', cell: '"a,b"' },
    { title: 'quotes a field with a quote and doubles it', value: 'say "hi"', cell: '"say ""hi"""' },
    { title: 'quotes a field with a line feed', value: 'a\nb', cell: '"a\nb"' },
    { title: 'quotes a field with a carriage return', value: 'a\rb', cell: '"a\rb"' },
    { title: 'protects a formula starting with "="', value: '=HYPERLINK("http://evil")', cell: '"\'=HYPERLINK(""http://evil"")"' },
    { title: 'protects a formula starting with "+"', value: '+1+cmd', cell: "'+1+cmd" },
    { title: 'protects a formula starting with "-"', value: '-2+3', cell: "'-2+3" },
    { title: 'protects a formula starting with "@"', value: '@SUM(A1)', cell: "'@SUM(A1)" },
    { title: 'protects a cell starting with a tab', value: '\t=1', cell: "'\t=1" },
    { title: 'protects and quotes a cell starting with a carriage return', value: '\r=1', cell: '"\'\r=1"' },
    { title: 'keeps a negative decimal string numeric', value: '-5.00', cell: '-5.00' },
    { title: 'keeps a signed decimal string numeric', value: '+12.5', cell: '+12.5' },
    { title: 'keeps a bare minus sign protected', value: '-', cell: "'-" },
    { title: 'does not protect "=" inside a cell', value: 'a=b', cell: 'a=b' },
    { title: 'quotes a field with a semicolon', value: 'a;b', cell: '"a;b"' },
    { title: 'protects a formula after a semicolon, for spreadsheets that split on it', value: "x;=cmd|' /C calc'!A0", cell: `"x;'=cmd|' /C calc'!A0"` },
    { title: 'protects a formula after a comma inside quotes', value: 'x,+1+cmd', cell: `"x,'+1+cmd"` },
    { title: 'protects every formula start after a separator', value: 'a;@b,-c;d', cell: `"a;'@b,'-c;d"` },
    { title: 'leaves a separator followed by anything else alone', value: 'a; b,c', cell: '"a; b,c"' },
  ])('$title', ({ value, cell }) => {
    expect(toCsv(column, [{ v: value }])).toBe(`value\r\n${cell}\r\n`);
  });

  it('escapes and protects headers like any cell', () => {
    expect(toCsv([{ key: 'a', header: '=Amount, EUR' }], [])).toBe('"\'=Amount, EUR"\r\n');
  });

  it('reads only the row\'s own properties', () => {
    expect(toCsv([{ key: 'constructor', header: 'c' }, { key: 'missing', header: 'm' }], [{}])).toBe('c,m\r\n,\r\n');
  });
});
