import pino from 'pino'

export type Logger = pino.Logger

/** Structured JSON logs on stdout; `cause` chains are serialised so library errors stay in the log. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'kytb-gateway' },
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: { err: pino.stdSerializers.errWithCause },
    redact: { paths: ['password', '*.password', 'headers.authorization', 'headers.cookie'], remove: true },
  })
}
