/** The two sizes of the fault run: `npm run test:faults` (full) and `npm run test:faults:ci`. */

/** When everything gives up: the run's bound, or now once the run is aborted. Read, never copied. */
export interface Deadline {
  until: number
}
export interface Profile {
  name: 'full' | 'ci'
  cases: number
  /** The whole run, setup and checks included. */
  boundMs: number
  /** Submissions in flight at once (both partners together), and at most this many per second. */
  submitInFlight: number
  submitPerSecond: number
  /** Clerk API requests in flight at once. */
  clerkInFlight: number
  /** Length of a 503 period and of a hang period of a partner's endpoint. */
  flap503Ms: number
  hangMs: number
  /** How long exchange intake is paused (PUT /v1/maintenance) once during the load. */
  maintenanceMs: number
  /** Pause between misaddressed messages (refused and audited: concurrent audit appends). */
  refusalEveryMs: number
  /** How often a progress line is printed. */
  progressEveryMs: number
}

export const PROFILES: Record<Profile['name'], Profile> = {
  full: {
    name: 'full',
    cases: 10_000,
    boundMs: 15 * 60_000,
    submitInFlight: 24,
    submitPerSecond: 40,
    clerkInFlight: 16,
    flap503Ms: 20_000,
    hangMs: 12_000,
    maintenanceMs: 8_000,
    refusalEveryMs: 100,
    progressEveryMs: 20_000,
  },
  ci: {
    name: 'ci',
    cases: 600,
    boundMs: 4 * 60_000,
    submitInFlight: 12,
    submitPerSecond: 10,
    clerkInFlight: 12,
    flap503Ms: 6_000,
    hangMs: 6_000,
    maintenanceMs: 4_000,
    refusalEveryMs: 150,
    progressEveryMs: 10_000,
  },
}

/**
 * The gateways' settings for the run. The lease is short so the killed instance's rows come back
 * within seconds (it must exceed the delivery timeout by some seconds, see the worker); the
 * delivery timeout is short so the partners' hangs cost seconds, not the protocol's 30 s.
 */
export const GATEWAY_TUNING = {
  // One process per instance (no cluster workers), so SIGKILL takes the whole instance down.
  WORKERS: '1',
  OUTBOX_LEASE_SECONDS: '10',
  DELIVERY_TIMEOUT_MS: '4000',
  OUTBOX_POLL_MS: '250',
  AUDIT_CHECKPOINT_MINUTES: '0.5',
  SHUTDOWN_GRACE_SECONDS: '5',
  DATABASE_POOL_SIZE: '10',
} as const
