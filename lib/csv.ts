import { CsvError, parse } from 'csv-parse/sync'
import { stringify } from 'csv-stringify/sync'

/**
 * RFC 4180 CSV, both ways, through the csv project's parser and stringifier (csv-parse,
 * csv-stringify): the import's promises (quotes, commas, CRLF, LF and CR, a BOM, Hangul) are
 * theirs to keep; these wrappers only fix the options the export and the import rely on.
 */

type Value = string | number | boolean | null

const STRINGIFY_OPTIONS = {
  record_delimiter: 'windows', // CRLF, as RFC 4180 writes it
  // A field with any line break is quoted, a lone LF or CR too (the stringifier quotes only its
  // own delimiter by default), so that readers splitting on either still see one field.
  quoted_match: /[\r\n]/,
  cast: { boolean: (value: boolean) => String(value) }, // true/false, not 1/''
} as const

/** One field as RFC 4180 writes it: quoted (inner quotes doubled) when it holds a quote, comma or line break. */
export function csvField(value: Value): string {
  return stringify([[value]], { ...STRINGIFY_OPTIONS, record_delimiter: '' })
}

/** One record with its CRLF line end. */
export function csvRecord(values: readonly Value[]): string {
  return stringify([[...values]], STRINGIFY_OPTIONS)
}

export class CsvSyntaxError extends Error {
  constructor(readonly line: number, message: string) {
    super(`CSV line ${line}: ${message}`)
    this.name = 'CsvSyntaxError'
  }
}

/**
 * The records of a CSV text: a leading BOM is dropped; CRLF, LF and lone CR all end a record (in
 * one file too: files edited on two systems mix them); quoted fields may hold commas, quotes ("")
 * and line breaks; empty lines are skipped; records may differ in length (the import judges them).
 */
export function parseCsv(input: string): string[][] {
  try {
    return parse(input, {
      bom: true,
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_column_count: true,
      skip_empty_lines: true,
    }) as string[][]
  } catch (error) {
    if (error instanceof CsvError) throw new CsvSyntaxError(Number(error.lines) || 1, error.message)
    throw error
  }
}
