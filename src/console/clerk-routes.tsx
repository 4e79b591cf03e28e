import { Hono } from 'hono'
import type { Deps } from '../context.js'
import type { ConsoleEnv } from './session.js'

/** Clerk pages: case detail and actions, materials, the outbound case form. */
export function clerkConsoleRoutes(_deps: Deps) {
  const app = new Hono<ConsoleEnv>()
  return app
}
