import { createRoute, OpenAPIHono } from '@hono/zod-openapi'
import { contextFor, type Deps } from '../../context.js'
import { ADMIN_ONLY, ANY_USER, type AppEnv, requireUser } from '../../http/auth.js'
import { changeItemStatus } from './change-item-status.js'
import { listDepartments } from './get-item.js'
import { getItemWithFigures } from './get-item-with-figures.js'
import { listItems } from './list-items.js'
import {
  DepartmentListSchema,
  ItemCodeParam,
  ItemPageSchema,
  ItemQuerySchema,
  ItemSchema,
  ItemStatusBody,
  ItemWithFiguresSchema,
} from './schemas.js'

const security = [{ bearer: [] }]

const listDepartmentsRoute = createRoute({
  method: 'get',
  path: '/v1/departments',
  tags: ['catalogue'],
  summary: 'All departments',
  security,
  responses: {
    200: { description: 'departments', content: { 'application/json': { schema: DepartmentListSchema } } },
  },
})

const listItemsRoute = createRoute({
  method: 'get',
  path: '/v1/items',
  tags: ['catalogue'],
  summary: 'Search the catalogue of cross-region items',
  security,
  request: { query: ItemQuerySchema },
  responses: {
    200: { description: 'a page of items', content: { 'application/json': { schema: ItemPageSchema } } },
  },
})

const getItemRoute = createRoute({
  method: 'get',
  path: '/v1/items/{code}',
  tags: ['catalogue'],
  summary: 'One item with its figures',
  security,
  request: { params: ItemCodeParam },
  responses: {
    200: { description: 'the item', content: { 'application/json': { schema: ItemWithFiguresSchema } } },
    404: { description: 'not_found' },
  },
})

const patchItemRoute = createRoute({
  method: 'patch',
  path: '/v1/items/{code}',
  tags: ['catalogue'],
  summary: 'Change an item’s status (admin): catalogued → online ⇄ paused, any → retired',
  security,
  request: { params: ItemCodeParam, body: { content: { 'application/json': { schema: ItemStatusBody } } } },
  responses: {
    200: { description: 'the item', content: { 'application/json': { schema: ItemSchema } } },
    404: { description: 'not_found' },
    409: { description: 'transition_not_allowed' },
  },
})

export function catalogRoutes(deps: Deps) {
  const app = new OpenAPIHono<AppEnv>()
  const anyUser = requireUser(deps, ANY_USER)
  const admin = requireUser(deps, ADMIN_ONLY)

  app.use('/v1/departments', anyUser)
  app.openapi(listDepartmentsRoute, async (c) => {
    const items = await listDepartments({ ctx: contextFor(deps, c.var.actor, c.var.requestId) })
    return c.json({ items }, 200)
  })

  app.use('/v1/items', anyUser)
  app.openapi(listItemsRoute, async (c) => {
    const page = await listItems({
      ctx: contextFor(deps, c.var.actor, c.var.requestId),
      input: c.req.valid('query'),
    })
    return c.json(page, 200)
  })

  app.on('GET', '/v1/items/:code', anyUser)
  app.openapi(getItemRoute, async (c) => {
    const item = await getItemWithFigures({
      ctx: contextFor(deps, c.var.actor, c.var.requestId),
      input: c.req.valid('param'),
    })
    return c.json(item, 200)
  })

  app.on('PATCH', '/v1/items/:code', admin)
  app.openapi(patchItemRoute, async (c) => {
    const item = await changeItemStatus({
      ctx: contextFor(deps, c.var.actor, c.var.requestId),
      input: { ...c.req.valid('param'), ...c.req.valid('json') },
    })
    return c.json(item, 200)
  })
  return app
}
