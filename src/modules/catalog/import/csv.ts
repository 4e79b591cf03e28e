/**
 * A small RFC 4180 reader: comma separated, fields optionally in double quotes, `""` for a quote
 * inside quotes, CRLF or LF line ends (a lone CR too), line breaks allowed inside quoted fields.
 * Each record keeps the physical line it starts on, so errors point where an editor shows them.
 *
 * Strict where lenient readers guess: a quote inside an unquoted field, text after a closing
 * quote, or a quote never closed stop the read, because every later field boundary would be a
 * guess. Blank lines are skipped (hand-edited files have them).
 */
export interface CsvRecord {
  /** 1-based physical line of the record's first character. */
  line: number
  fields: string[]
}

export type CsvResult = { ok: true; records: CsvRecord[] } | { ok: false; line: number; message: string }

export function parseCsv(text: string): CsvResult {
  const records: CsvRecord[] = []
  const n = text.length
  let i = 0
  let line = 1
  const fail = (at: number, message: string): CsvResult => ({ ok: false, line: at, message })

  while (i < n) {
    const start = line
    const fields: string[] = []
    for (;;) {
      let value = ''
      if (text[i] === '"') {
        const opened = line
        i++
        for (;;) {
          if (i >= n) return fail(opened, 'a quoted field is never closed')
          const ch = text[i] as string
          if (ch === '"') {
            if (text[i + 1] === '"') {
              value += '"'
              i += 2
              continue
            }
            i++
            break
          }
          if (ch === '\n' || (ch === '\r' && text[i + 1] !== '\n')) line++
          value += ch
          i++
        }
        if (i < n && !isDelimiter(text[i])) {
          return fail(
            line,
            'unexpected text after a closing quote (a quote inside a field must be doubled: "")',
          )
        }
      } else {
        const from = i
        while (i < n && !isDelimiter(text[i])) {
          if (text[i] === '"') {
            return fail(
              line,
              'a quote inside an unquoted field: put the field in quotes and double the quote ("")',
            )
          }
          i++
        }
        value = text.slice(from, i)
      }
      fields.push(value)
      if (i >= n) break
      if (text[i] === ',') {
        i++
        continue
      }
      i += text[i] === '\r' && text[i + 1] === '\n' ? 2 : 1
      line++
      break
    }
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: start, fields })
  }
  return { ok: true, records }
}

function isDelimiter(ch: string | undefined): boolean {
  return ch === ',' || ch === '\n' || ch === '\r'
}
