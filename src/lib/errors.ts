/**
 * The closed list of error codes the gateway answers with, and the one place that maps each
 * to its HTTP status and title. Protocol codes are fixed by exchange-protocol-v1.md; partners
 * switch on them, so renaming one is a breaking change.
 */
export const ERROR_CODES = {
  // exchange protocol (exchange-protocol-v1.md, "Errors")
  payload_malformed: { status: 400, title: 'Payload malformed' },
  signature_invalid: { status: 401, title: 'Signature invalid' },
  unknown_key: { status: 401, title: 'Unknown key' },
  stale_message: { status: 401, title: 'Stale message' },
  wrong_audience: { status: 401, title: 'Wrong audience' },
  agreement_inactive: { status: 403, title: 'Agreement inactive' },
  case_not_found: { status: 404, title: 'Case not found' },
  replayed_message: { status: 409, title: 'Replayed message' },
  case_conflict: { status: 409, title: 'Case conflict' },
  transition_not_allowed: { status: 409, title: 'Transition not allowed' },
  sequence_gap: { status: 409, title: 'Sequence gap' },
  payload_too_large: { status: 413, title: 'Payload too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  payload_invalid: { status: 422, title: 'Payload invalid' },
  item_not_in_agreement: { status: 422, title: 'Item not in agreement' },
  rate_limited: { status: 429, title: 'Rate limited' },
  // gateway API (gateway-api-v1.md)
  bad_request: { status: 400, title: 'Bad request' },
  unauthenticated: { status: 401, title: 'Authentication required' },
  invalid_credentials: { status: 401, title: 'Invalid credentials' },
  forbidden: { status: 403, title: 'Forbidden' },
  not_found: { status: 404, title: 'Not found' },
  conflict: { status: 409, title: 'Conflict' },
  validation_failed: { status: 422, title: 'Validation failed' },
  too_many_attempts: { status: 429, title: 'Too many attempts' },
  internal_error: { status: 500, title: 'Internal error' },
  service_unavailable: { status: 503, title: 'Service unavailable' },
} as const satisfies Record<string, { status: number; title: string }>

export type ErrorCode = keyof typeof ERROR_CODES

/** One located problem inside a document or request body. */
export interface FieldError {
  /** JSON Pointer for JSON, element path for XML, in the sender's own terms. */
  location: string
  code: string
  message: string
}

export interface AppErrorOptions {
  errors?: FieldError[]
  cause?: unknown
  /** Extra response headers, e.g. Retry-After. */
  headers?: Record<string, string>
  /** Logged with the error, never sent to the caller (internal reason of a refusal). */
  internal?: string
}

export class AppError extends Error {
  readonly code: ErrorCode
  readonly status: number
  readonly errors?: FieldError[]
  readonly headers?: Record<string, string>
  readonly internal?: string

  constructor(code: ErrorCode, detail?: string, options: AppErrorOptions = {}) {
    super(detail ?? ERROR_CODES[code].title, { cause: options.cause })
    this.name = 'AppError'
    this.code = code
    this.status = ERROR_CODES[code].status
    this.errors = options.errors
    this.headers = options.headers
    this.internal = options.internal
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError
