import { Hono } from 'hono'
import type { Deps } from '../context.js'
import type { ConsoleEnv } from './session.js'

/** Administrator pages (under /console/admin) and the dashboard. */
export function adminConsoleRoutes(_deps: Deps) {
  const app = new Hono<ConsoleEnv>()
  return app
}
