/**
 * RFC 4180 CSV, both ways: small enough to own (about forty lines) and to test against every case
 * the import promises (quotes, commas, CRLF and LF, a BOM, Hangul).
 */

const NEEDS_QUOTES = /[",\r\n]/

/** One field as RFC 4180 writes it: quoted (inner quotes doubled) when it holds a quote, comma or line break. */
export function csvField(value: string | number | boolean | null): string {
  const text = value === null ? '' : String(value)
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/** One record with its CRLF line end. */
export function csvRecord(values: readonly (string | number | boolean | null)[]): string {
  return `${values.map(csvField).join(',')}\r\n`
}

export class CsvSyntaxError extends Error {
  constructor(readonly line: number, message: string) {
    super(`CSV line ${line}: ${message}`)
    this.name = 'CsvSyntaxError'
  }
}

/**
 * The records of a CSV text: a leading BOM is dropped; CRLF, LF and lone CR all end a record;
 * quoted fields may hold commas, quotes ("") and line breaks; empty lines are skipped.
 */
export function parseCsv(input: string): string[][] {
  const text = input.startsWith('\uFEFF') ? input.slice(1) : input
  const records: string[][] = []
  let record: string[] = []
  let field = ''
  let quoted = false // inside a quoted field
  let wasQuoted = false // the current field was quoted (a closing quote must end it)
  let line = 1
  const endField = () => {
    record.push(field)
    field = ''
    wasQuoted = false
  }
  const endRecord = () => {
    // An empty line is skipped; a line holding only "" is a record with one empty field.
    const emptyLine = record.length === 0 && field === '' && !wasQuoted
    endField()
    if (!emptyLine) records.push(record)
    record = []
  }
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"'
          i++
        } else quoted = false
      } else {
        if (c === '\n') line++
        field += c
      }
      continue
    }
    if (c === '"') {
      if (field !== '' || wasQuoted) throw new CsvSyntaxError(line, 'a quote inside an unquoted field')
      quoted = true
      wasQuoted = true
    } else if (c === ',') endField()
    else if (c === '\r' || c === '\n') {
      if (c === '\r' && text[i + 1] === '\n') i++
      endRecord()
      line++
    } else {
      if (wasQuoted) throw new CsvSyntaxError(line, 'text after a closing quote')
      field += c
    }
  }
  if (quoted) throw new CsvSyntaxError(line, 'a quoted field is not closed')
  if (field !== '' || wasQuoted || record.length > 0) endRecord()
  return records
}
