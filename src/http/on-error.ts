import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { AppError, type ErrorCode } from '../lib/errors.js'
import type { Logger } from '../lib/logger.js'
import { PROBLEM_MEDIA_TYPE, type Problem, problemFromError, problemOf } from '../lib/problem.js'

/** Answers with problem+json. The only place a response body for an error is made. */
export function problemResponse(
  c: Context,
  problem: Problem,
  headers: Record<string, string> = {},
): Response {
  return c.body(JSON.stringify(problem), problem.status as 400, {
    ...headers,
    'Content-Type': PROBLEM_MEDIA_TYPE,
  })
}

const HTTP_STATUS_CODES: Record<number, ErrorCode> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  503: 'service_unavailable',
}

/**
 * Three tiers: our own errors carry their code; the framework's HTTP exceptions map by status;
 * anything else is a generic 500 with the request id, its details only in the log.
 */
export function onError(log: Logger) {
  return (err: Error, c: Context): Response => {
    const requestId = c.get('requestId') as string | undefined
    if (err instanceof AppError) {
      const level = err.status >= 500 ? 'error' : 'info'
      log[level](
        { requestId, code: err.code, internal: err.internal, err: err.cause ?? undefined },
        err.message,
      )
      return problemResponse(c, problemFromError(err, requestId), err.headers)
    }
    if (err instanceof HTTPException && HTTP_STATUS_CODES[err.status]) {
      log.info({ requestId, status: err.status, err }, 'http exception')
      const code = HTTP_STATUS_CODES[err.status] as ErrorCode
      return problemResponse(c, {
        ...problemOf(code, err.message || undefined),
        ...(requestId ? { requestId } : {}),
      })
    }
    log.error({ requestId, err }, 'unhandled error')
    return problemResponse(c, {
      ...problemOf('internal_error', 'An unexpected error occurred; quote the request id when reporting it.'),
      ...(requestId ? { requestId } : {}),
    })
  }
}
