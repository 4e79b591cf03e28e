import { AppError } from '../../lib/errors.js'
import type { ParseResult } from '../formats/canonical.js'

/** A format's parse result, or the protocol refusal with its located errors. */
export function parseOrRefuse<T>(result: ParseResult<T>): T {
  if (result.ok) return result.value
  const n = result.errors.length
  const detail =
    result.code === 'payload_malformed'
      ? (result.errors[0]?.message ?? 'The document is not well-formed')
      : `${n} field${n === 1 ? ' is' : 's are'} invalid`
  throw new AppError(result.code, detail, { errors: result.errors.slice(0, 100) })
}
