import type { z } from 'zod'
import { AppError, type FieldError } from '../lib/errors.js'

/** zod issues as located field errors (JSON Pointer into the request part). */
export function fieldErrorsOf(error: z.ZodError, prefix = ''): FieldError[] {
  return error.issues.map((issue) => ({
    location: `${prefix}/${issue.path.map((p) => String(p).replaceAll('~', '~0').replaceAll('/', '~1')).join('/')}`,
    code: issue.code,
    message: issue.message,
  }))
}

/** The default hook of every OpenAPI route: a failed validation becomes 422 validation_failed. */
export function validationHook(
  result: { success: true } | { success: false; error: z.ZodError; target?: string },
): void {
  if (result.success) return
  const where = result.target && result.target !== 'json' ? `/${result.target}` : ''
  const errors = fieldErrorsOf(result.error, where)
  const n = errors.length
  throw new AppError('validation_failed', `${n} field${n === 1 ? ' is' : 's are'} invalid`, { errors })
}
