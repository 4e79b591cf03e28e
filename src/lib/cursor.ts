import { AppError } from './errors.js'

/** Opaque pagination cursors: base64url JSON, so a client can't depend on what is inside. */
export function encodeCursor(value: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}

export function decodeCursor<T extends Record<string, string | number>>(
  cursor: string,
  check: (v: Record<string, unknown>) => v is T,
): T {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown
    if (parsed && typeof parsed === 'object' && check(parsed as Record<string, unknown>)) return parsed as T
  } catch {
    // fall through to the same answer as a well-formed but foreign cursor
  }
  throw new AppError('validation_failed', 'The cursor is not one this API issued', {
    errors: [{ location: '/query/cursor', code: 'invalid_cursor', message: 'unknown cursor' }],
  })
}
