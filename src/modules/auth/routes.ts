import { getConnInfo } from '@hono/node-server/conninfo'
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { contextFor, type Deps } from '../../context.js'
import { ADMIN_ONLY, ANY_USER, type AppEnv, requireUser } from '../../http/auth.js'
import { createUser } from './create-user.js'
import { listUsers } from './list-users.js'
import { login } from './login.js'
import { logout } from './logout.js'

const UserSchema = z
  .object({ username: z.string(), role: z.enum(['admin', 'clerk']), department: z.string().nullable() })
  .openapi('User')

const username = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, . _ - only')

const loginRoute = createRoute({
  method: 'post',
  path: '/v1/auth/login',
  tags: ['auth'],
  summary: 'Sign in',
  request: {
    body: {
      content: {
        'application/json': {
          schema: z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(1024) }),
        },
      },
    },
  },
  responses: {
    200: {
      description: 'signed in',
      content: {
        'application/json': {
          schema: z.object({ token: z.string(), expiresAt: z.string(), user: UserSchema }).openapi('Login'),
        },
      },
    },
    401: { description: 'invalid_credentials' },
    429: { description: 'too_many_attempts' },
  },
})

const logoutRoute = createRoute({
  method: 'post',
  path: '/v1/auth/logout',
  tags: ['auth'],
  summary: 'Sign out: the token stops working at once',
  security: [{ bearer: [] }],
  responses: { 204: { description: 'signed out' } },
})

const createUserRoute = createRoute({
  method: 'post',
  path: '/v1/users',
  tags: ['users'],
  summary: 'Create a user (admin)',
  security: [{ bearer: [] }],
  request: {
    body: {
      content: {
        'application/json': {
          schema: z.object({
            username,
            password: z.string().min(10, 'at least 10 characters').max(1024),
            role: z.enum(['admin', 'clerk']),
            department: z.string().min(1).max(64).optional(),
          }),
        },
      },
    },
  },
  responses: { 201: { description: 'created', content: { 'application/json': { schema: UserSchema } } } },
})

const listUsersRoute = createRoute({
  method: 'get',
  path: '/v1/users',
  tags: ['users'],
  summary: 'List users (admin)',
  security: [{ bearer: [] }],
  responses: {
    200: {
      description: 'users',
      content: { 'application/json': { schema: z.object({ items: z.array(UserSchema) }) } },
    },
  },
})

export function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown'
  } catch {
    return 'unknown'
  }
}

export function authRoutes(deps: Deps) {
  const app = new OpenAPIHono<AppEnv>()
  const anonymous = { kind: 'system', name: 'anonymous' } as const

  app.openapi(loginRoute, async (c) => {
    const input = { ...c.req.valid('json'), address: clientAddress(c) }
    const result = await login({
      ctx: contextFor(deps, anonymous, c.var.requestId),
      input,
      tokenKey: deps.tokenKey,
    })
    return c.json({ token: result.token, expiresAt: result.expiresAt.toISOString(), user: result.user }, 200)
  })

  app.use(logoutRoute.path, requireUser(deps, ANY_USER))
  app.openapi(logoutRoute, async (c) => {
    await logout({
      ctx: contextFor(deps, c.var.actor, c.var.requestId),
      input: { sessionId: c.var.sessionId },
    })
    return c.body(null, 204)
  })

  app.use('/v1/users', requireUser(deps, ADMIN_ONLY))
  app.openapi(createUserRoute, async (c) => {
    const user = await createUser({
      ctx: contextFor(deps, c.var.actor, c.var.requestId),
      input: c.req.valid('json'),
    })
    return c.json(user, 201)
  })
  app.openapi(listUsersRoute, async (c) => {
    const items = await listUsers({ ctx: contextFor(deps, c.var.actor, c.var.requestId) })
    return c.json({ items }, 200)
  })
  return app
}
