import { z } from 'zod'

/**
 * Every setting the gateway reads, parsed once at start. Nothing else reads process.env:
 * a typo or a bad value stops the start with a message naming the variable.
 */
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes')

const configSchema = z.object({
  PORT: z.coerce
    .number({ message: 'expected a port number' })
    .int('expected a whole number')
    .min(0)
    .max(65535, 'expected a port number from 0 to 65535')
    .default(8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// or postgresql:// URL')
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  DATA_DIR: z.string().min(1).default('./data'),
  GATEWAY_REGION: z
    .string()
    .regex(/^\d{6}$/, 'expected a 6-digit region code')
    .default('440233'),
  ADMIN_PASSWORD: z.string().min(10, 'expected at least 10 characters').optional(),
  ALLOW_INSECURE_ENDPOINTS: bool.default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Lifetime of an API sign-in token. */
  TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(3600),
  /** A PKCS#8 PEM file holding the gateway's signing key; unset = generated under DATA_DIR. */
  GATEWAY_KEY_FILE: z.string().min(1).optional(),
  /** How long a newly rotated key is published before it signs. */
  KEY_ROTATION_OVERLAP_HOURS: z.coerce
    .number()
    .min(0)
    .max(24 * 90)
    .default(24),
  /** Largest request body outside the exchange routes (which follow each agreement's limit). */
  API_BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(30 * 1024 * 1024),
  /** Seconds a SIGTERM waits for in-flight requests before closing connections. */
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().min(0).max(60).default(8),
  /** Create demo agreements for the partner simulators on a fresh start. */
  DEMO_MODE: bool.default(false),
})

export type Config = z.infer<typeof configSchema>

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}

type Env = Record<string, string | undefined>

export function loadConfig(env: Env): Config {
  // An empty variable means "not set", as in most deployment tools.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''))
  const parsed = configSchema.safeParse(present)
  if (parsed.success) return parsed.data
  throw new ConfigError(
    parsed.error.issues.map((issue) => {
      const name = issue.path.join('.')
      const got = present[name]
      const shown =
        name === 'ADMIN_PASSWORD' || name === 'DATABASE_URL' ? '' : ` (got ${JSON.stringify(got)})`
      return `${name}: ${issue.message}${got === undefined ? '' : shown}`
    }),
  )
}
