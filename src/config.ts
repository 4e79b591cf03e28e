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
  /**
   * HTTP processes serving the one port (Node cluster): more than 1 uses more than one core.
   * Each is a whole gateway instance on the shared database (its own pool of DATABASE_POOL_SIZE,
   * outbox worker and scheduler), so it needs PostgreSQL: PGlite belongs to a single process.
   */
  WORKERS: z.coerce.number().int('expected a whole number').min(1).max(64).default(1),
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
  /** Largest exchange body before any agreement is known (an agreement may allow at most 50 MiB). */
  EXCHANGE_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(70 * 1024 * 1024),
  /** Seconds a SIGTERM waits for in-flight requests before closing connections. */
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().min(0).max(60).default(8),
  /** Run the outbox delivery worker inside the gateway (`npm run worker` runs it alone). */
  OUTBOX_WORKER_ENABLED: bool.default(true),
  /** How often an idle worker looks for due outbox rows. */
  OUTBOX_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(500),
  /** Rows claimed per round; a full batch makes the worker look again at once. */
  OUTBOX_BATCH: z.coerce.number().int().min(1).max(1000).default(32),
  /** Deliveries in flight at once per worker (never two of one case). */
  OUTBOX_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
  /** How long a claim lasts: a crashed instance's rows come back after it. Must exceed DELIVERY_TIMEOUT_MS. */
  OUTBOX_LEASE_SECONDS: z.coerce.number().int().min(5).max(3600).default(120),
  /** Per delivery attempt, body included (exchange-protocol-v1: 30 s). */
  DELIVERY_TIMEOUT_MS: z.coerce.number().int().min(1).max(300_000).default(30_000),
  /** Message bodies (the JWS) are dropped after this many days; digests and receipts are kept. */
  MESSAGE_BODY_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(180),
  /** How often the audit chain's head is signed. */
  AUDIT_CHECKPOINT_MINUTES: z.coerce.number().min(0.1).max(1440).default(10),
  /** When set, /metrics asks for `Authorization: Bearer <this>`. */
  METRICS_TOKEN: z.string().min(16, 'expected at least 16 characters').optional(),
  /** Create demo agreements for the partner simulators on a fresh start. */
  DEMO_MODE: bool.default(false),
})

/** Rules across settings, reported under the setting that has to change. */
const crossChecks = configSchema.superRefine((c, issues) => {
  if (c.WORKERS > 1 && !c.DATABASE_URL) {
    issues.addIssue({
      code: 'custom',
      path: ['WORKERS'],
      message:
        'more than 1 needs DATABASE_URL (PostgreSQL): the embedded PGlite database belongs to one process',
    })
  }
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
  const parsed = crossChecks.safeParse(present)
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
