import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createApp } from '../../src/app.js'
import { type Config, loadConfig } from '../../src/config.js'
import { type Actor, type Ctx, contextFor, type Deps, SYSTEM_ACTOR } from '../../src/context.js'
import type { Database } from '../../src/db/client.js'
import { fixedClock } from '../../src/lib/clock.js'
import { createLogger } from '../../src/lib/logger.js'
import { createUser } from '../../src/modules/auth/create-user.js'
import { prepare } from '../../src/start.js'
import { TEST_ADMIN_PASSWORD } from './constants.js'
import { openTestDatabase } from './db.js'

export interface TestGateway {
  app: ReturnType<typeof createApp>
  deps: Deps
  database: Database
  clock: ReturnType<typeof fixedClock>
  ctx(actor?: Actor): Ctx
  /** A bearer token for `admin`. */
  adminToken(): Promise<string>
  /** Creates (once) and signs in a clerk of `department`. */
  clerkToken(department: string, username?: string): Promise<string>
  login(username: string, password: string): Promise<Response>
  request(path: string, init?: RequestInit & { token?: string; json?: unknown }): Promise<Response>
  close(): Promise<void>
}

export const CLERK_PASSWORD = 'clerk-password-123'

/** The whole gateway on this test file's own database, with time fixed at `now`. */
export async function createTestGateway(
  options: { env?: Record<string, string>; now?: string } = {},
): Promise<TestGateway> {
  const config: Config = loadConfig({
    ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ALLOW_INSECURE_ENDPOINTS: 'true',
    DATA_DIR: await mkdtemp(join(tmpdir(), 'kytb-test-')),
    ...options.env,
  })
  const database = await openTestDatabase()
  const clock = fixedClock(options.now ?? '2026-11-28T02:00:00Z')
  const deps = await prepare(config, createLogger(config.LOG_LEVEL), { database, clock })
  const app = createApp(deps)
  const tokens = new Map<string, string>()

  const request: TestGateway['request'] = (path, init = {}) => {
    const { token, json, ...rest } = init
    const headers = new Headers(rest.headers)
    if (token) headers.set('Authorization', `Bearer ${token}`)
    if (json !== undefined) headers.set('Content-Type', 'application/json')
    return Promise.resolve(
      app.request(path, { ...rest, headers, ...(json !== undefined ? { body: JSON.stringify(json) } : {}) }),
    )
  }
  const login = (username: string, password: string) =>
    request('/v1/auth/login', { method: 'POST', json: { username, password } })
  const tokenFor = async (username: string, password: string) => {
    const cached = tokens.get(username)
    if (cached) return cached
    const res = await login(username, password)
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`)
    const { token } = (await res.json()) as { token: string }
    tokens.set(username, token)
    return token
  }

  return {
    app,
    deps,
    database,
    clock,
    ctx: (actor = SYSTEM_ACTOR) => contextFor(deps, actor),
    adminToken: () => tokenFor('admin', TEST_ADMIN_PASSWORD),
    clerkToken: async (department, username = `clerk-${department.toLowerCase()}`) => {
      if (!tokens.has(username)) {
        await createUser({
          ctx: contextFor(deps, SYSTEM_ACTOR),
          input: { username, password: CLERK_PASSWORD, role: 'clerk', department },
        }).catch((err: { code?: string }) => {
          if (err.code !== 'conflict') throw err
        })
      }
      return tokenFor(username, CLERK_PASSWORD)
    },
    login,
    request,
    close: () => database.close(),
  }
}
