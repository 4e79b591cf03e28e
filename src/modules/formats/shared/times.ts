/**
 * Time conversions between partner formats and the canonical form: ISO 8601 in Beijing time with
 * an explicit `+08:00` offset, milliseconds only when not zero. Beijing has had no daylight
 * saving since 1991, so a fixed offset is exact for every date a case can carry.
 */
import { isRealDate } from './checks.js'

const BEIJING_OFFSET_MS = 8 * 3600 * 1000
const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?(?:(Z)|([+-])(\d{2}):(\d{2}))$/

/**
 * Parses ISO 8601 extended format with seconds and an offset (`Z` or `±HH:MM`), fractions of 1–3
 * digits, and returns the same instant in canonical form. A missing offset, an impossible date
 * or time, a leap second or sub-millisecond precision is refused (undefined): silently rounding
 * or guessing a zone would change what the partner said.
 */
export function normaliseIsoTime(s: string): string | undefined {
  const m = ISO.exec(s)
  if (!m) return undefined
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i]))
  if (!isRealDate(year!, month!, day!) || hour! > 23 || minute! > 59 || second! > 59) return undefined
  const ms = m[7] ? Number(m[7].padEnd(3, '0')) : 0
  let offsetMs = 0
  if (!m[8]) {
    const oh = Number(m[10])
    const om = Number(m[11])
    if (oh > 14 || om > 59) return undefined
    offsetMs = (m[9] === '-' ? -1 : 1) * (oh * 60 + om) * 60_000
  }
  const utc = Date.UTC(year!, month! - 1, day!, hour, minute, second, ms)
  // Date.UTC maps years 0–99 onto 1900–1999; the regex allows them, so correct for it.
  const fixed = year! < 100 ? new Date(utc).setUTCFullYear(year!) : utc
  return formatBeijing(fixed - offsetMs)
}

/** Canonical form of an epoch-millisecond instant. */
export function formatBeijing(epochMs: number): string {
  const d = new Date(epochMs + BEIJING_OFFSET_MS)
  const base = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(
    d.getUTCHours(),
  )}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
  const ms = d.getUTCMilliseconds()
  return `${base}${ms ? `.${pad(ms, 3)}` : ''}+08:00`
}

/** `yyyyMMddHHmmss` in Beijing time → canonical ISO time, or undefined when impossible. */
export function fromBeijingDigits(s: string): string | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(s)
  if (!m) return undefined
  return normaliseIsoTime(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}+08:00`)
}

/**
 * Canonical (or any offset) ISO time → `yyyyMMddHHmmss` in Beijing time. Milliseconds are
 * dropped: the digit form has no place for them. Undefined when the input is not a valid time.
 */
export function toBeijingDigits(iso: string): string | undefined {
  const n = normaliseIsoTime(iso)
  return n === undefined ? undefined : n.slice(0, 19).replace(/[-T:]/g, '')
}

/** `yyyyMMdd` → `YYYY-MM-DD`, or undefined when the date does not exist. */
export function dateFromDigits(s: string): string | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(s)
  if (!m || !isRealDate(Number(m[1]), Number(m[2]), Number(m[3]))) return undefined
  return `${m[1]}-${m[2]}-${m[3]}`
}

/** `YYYY-MM-DD` → `yyyyMMdd`, or undefined when the date does not exist. */
export function dateToDigits(date: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  if (!m || !isRealDate(Number(m[1]), Number(m[2]), Number(m[3]))) return undefined
  return `${m[1]}${m[2]}${m[3]}`
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0')
}
