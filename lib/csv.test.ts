import { describe, expect, it } from 'vitest'
import { csvField, csvRecord, CsvSyntaxError, parseCsv } from './csv'

describe('CSV (RFC 4180)', () => {
  it('quotes only what needs it, doubling quotes, and ends records with CRLF', () => {
    expect(csvField('plain')).toBe('plain')
    expect(csvField('a, b')).toBe('"a, b"')
    expect(csvField('say "hi"')).toBe('"say ""hi"""')
    expect(csvField('two\nlines')).toBe('"two\nlines"')
    expect(csvField(null)).toBe('')
    expect(csvRecord(['우유 사기', true, null])).toBe('우유 사기,true,\r\n')
  })

  it('reads CRLF, LF and CR line ends, a BOM, quoted commas, quotes and line breaks', () => {
    expect(parseCsv('\uFEFFa,b\r\n1,2\r\n')).toEqual([['a', 'b'], ['1', '2']])
    expect(parseCsv('a,b\n1,2')).toEqual([['a', 'b'], ['1', '2']])
    expect(parseCsv('a\r1\r')).toEqual([['a'], ['1']])
    expect(parseCsv('"x, y","say ""hi""","two\r\nlines"\n')).toEqual([['x, y', 'say "hi"', 'two\r\nlines']])
    expect(parseCsv('a,,\n\n,b\n')).toEqual([['a', '', ''], ['', 'b']])
    expect(parseCsv('"",x')).toEqual([['', 'x']])
    expect(parseCsv('a\n""\n\nb')).toEqual([['a'], [''], ['b']])
  })

  it('round-trips what it writes', () => {
    const rows = [['id', 'contents'], ['1', '김치, "매운" 것\r\n둘째 줄'], ['2', '']]
    expect(parseCsv(rows.map(csvRecord).join(''))).toEqual(rows)
  })

  it('refuses broken quoting with the line number', () => {
    expect(() => parseCsv('a\n"open')).toThrow(CsvSyntaxError)
    expect(() => parseCsv('a\nb"c')).toThrow(/line 2/)
    expect(() => parseCsv('"a"b')).toThrow(/closing quote/i)
  })
})
