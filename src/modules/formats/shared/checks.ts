/**
 * Identifier checks shared by every partner format (exchange-protocol-v1.md, "Checks that every
 * format shares"). Pure functions on strings: formats decide where an error is located.
 */

const RESIDENT_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const
const RESIDENT_ID_CHECK = '10X98765432'

/**
 * GB 11643 resident ID: 17 digits, then an ISO 7064 MOD 11-2 check character (`0-9` or `X`).
 * Only an upper-case `X` is accepted: the standard writes it so and partners are told to.
 * Digits 7–14 are the birth date, which must exist on the calendar (1800 or later); a future
 * birth date is not refused here because that needs a clock.
 */
export function isValidResidentId(s: string): boolean {
  if (!/^\d{17}[\dX]$/.test(s)) return false
  if (!isRealDate(Number(s.slice(6, 10)), Number(s.slice(10, 12)), Number(s.slice(12, 14)))) return false
  if (Number(s.slice(6, 10)) < 1800) return false
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(s[i]) * RESIDENT_ID_WEIGHTS[i]!
  return RESIDENT_ID_CHECK[sum % 11] === s[17]
}

// GB 32100 alphabet: digits and upper-case letters without I, O, Z, S, V.
const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const

/**
 * GB 32100 unified social credit code: 18 characters of the code's alphabet, positions 3–8 an
 * administrative division code (digits), and a MOD 31 check character.
 */
export function isValidUscc(s: string): boolean {
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(s)) return false
  let sum = 0
  for (let i = 0; i < 17; i++) sum += USCC_CHARS.indexOf(s[i]!) * USCC_WEIGHTS[i]!
  return USCC_CHARS[(31 - (sum % 31)) % 31] === s[17]
}

/** Mainland mobile number: 11 digits starting with `1` (the protocol's rule, no carrier prefixes). */
export function isValidMobile(s: string): boolean {
  return /^1\d{10}$/.test(s)
}

/** A case number of either side: 1–40 of `[A-Za-z0-9-]`. */
export function isValidCaseNo(s: string): boolean {
  return /^[A-Za-z0-9-]{1,40}$/.test(s)
}

/** `YYYY-MM-DD` that exists on the calendar (2026-02-30 does not). */
export function isValidDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s)
  return m !== null && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]))
}

/** Whether year/month/day name a real proleptic Gregorian date (years 1–9999). */
export function isRealDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || year < 1 || year > 9999) return false
  if (!Number.isInteger(month) || month < 1 || month > 12) return false
  if (!Number.isInteger(day) || day < 1) return false
  return day <= daysInMonth(year, month)
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28
  return [4, 6, 9, 11].includes(month) ? 30 : 31
}
