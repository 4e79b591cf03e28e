import { type AppError, ERROR_CODES, type ErrorCode, type FieldError } from './errors.js'

export const PROBLEM_MEDIA_TYPE = 'application/problem+json'
const PROBLEM_BASE = 'https://kytb.example/problems/'

/** RFC 9457 problem details, with the protocol's `code` and located `errors`. */
export interface Problem {
  type: string
  title: string
  status: number
  code: ErrorCode
  detail?: string
  instance?: string
  requestId?: string
  errors?: FieldError[]
}

export function problemOf(code: ErrorCode, detail?: string, errors?: FieldError[]): Problem {
  const { status, title } = ERROR_CODES[code]
  return {
    type: PROBLEM_BASE + code.replaceAll('_', '-'),
    title,
    status,
    code,
    ...(detail ? { detail } : {}),
    ...(errors?.length ? { errors } : {}),
  }
}

export function problemFromError(err: AppError, requestId?: string): Problem {
  return { ...problemOf(err.code, err.message, err.errors), ...(requestId ? { requestId } : {}) }
}
