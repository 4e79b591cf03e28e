import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { contextFor, type Deps } from '../../context.js'
import { ADMIN_ONLY, ANY_USER, type AppEnv, requireUser } from '../../http/auth.js'
import { isCalendarDate } from './calendar-date.js'
import { deleteOverride } from './overrides/delete-override.js'
import { listOverrides } from './overrides/list-overrides.js'
import { loadCalendar } from './overrides/load-calendar.js'
import { setOverride } from './overrides/set-override.js'

const security = [{ bearer: [] }]

// A real date: the shape alone would let 2026-02-30 through.
const CalendarDate = z
  .string()
  .refine(isCalendarDate, 'must be an existing date as YYYY-MM-DD')
  .openapi({ example: '2027-10-01' })

const OverrideSchema = z
  .object({
    date: z.string(),
    kind: z.enum(['holiday', 'workday']),
    name: z.string().nullable(),
    createdBy: z.string(),
    createdAt: z.string(),
  })
  .openapi('CalendarOverride')

const DateParam = z.object({ date: CalendarDate.openapi({ param: { name: 'date', in: 'path' } }) })

const OverrideBody = z
  .object({
    kind: z.enum(['holiday', 'workday']),
    name: z.string().trim().max(100).optional(),
  })
  .openapi('CalendarOverrideChange')

const listRoute = createRoute({
  method: 'get',
  path: '/v1/calendar/overrides',
  tags: ['calendar'],
  summary: 'Administrator overrides of the working-day calendar',
  security,
  responses: {
    200: {
      description: 'overrides, by date',
      content: { 'application/json': { schema: z.object({ items: z.array(OverrideSchema) }) } },
    },
  },
})

const putRoute = createRoute({
  method: 'put',
  path: '/v1/calendar/overrides/{date}',
  tags: ['calendar'],
  summary: 'Make a date a holiday or a working day (admin), e.g. a newly published year',
  security,
  request: { params: DateParam, body: { content: { 'application/json': { schema: OverrideBody } } } },
  responses: {
    200: { description: 'the override', content: { 'application/json': { schema: OverrideSchema } } },
  },
})

const deleteRoute = createRoute({
  method: 'delete',
  path: '/v1/calendar/overrides/{date}',
  tags: ['calendar'],
  summary: 'Remove an override (admin): the date follows the package data again',
  security,
  request: { params: DateParam },
  responses: { 204: { description: 'removed' }, 404: { description: 'not_found' } },
})

const workingDaysRoute = createRoute({
  method: 'get',
  path: '/v1/calendar/working-days',
  tags: ['calendar'],
  summary: 'The date N working days after `from` (`from` not counted), as promised dates are computed',
  security,
  request: {
    query: z.object({
      from: CalendarDate,
      days: z.coerce.number().int().min(0).max(3650),
    }),
  },
  responses: {
    200: {
      description: 'the date',
      content: {
        'application/json': {
          schema: z
            .object({ from: z.string(), days: z.number().int(), date: z.string() })
            .openapi('WorkingDays'),
        },
      },
    },
  },
})

const coverageRoute = createRoute({
  method: 'get',
  path: '/v1/calendar/coverage',
  tags: ['calendar'],
  summary: 'Years with official holiday data, and years with overrides',
  security,
  responses: {
    200: {
      description: 'coverage',
      content: {
        'application/json': {
          schema: z
            .object({
              packageYears: z.array(z.number().int()),
              firstYear: z.number().int(),
              lastYear: z.number().int(),
              overrideYears: z.array(z.number().int()),
            })
            .openapi('CalendarCoverage'),
        },
      },
    },
  },
})

export function calendarRoutes(deps: Deps) {
  const app = new OpenAPIHono<AppEnv>()
  const anyUser = requireUser(deps, ANY_USER)
  const admin = requireUser(deps, ADMIN_ONLY)
  const ctxOf = (c: { var: AppEnv['Variables'] }) => contextFor(deps, c.var.actor, c.var.requestId)

  app.use('/v1/calendar/overrides', anyUser)
  app.openapi(listRoute, async (c) => c.json({ items: await listOverrides({ ctx: ctxOf(c) }) }, 200))

  app.on(['PUT', 'DELETE'], '/v1/calendar/overrides/:date', admin)
  app.openapi(putRoute, async (c) => {
    const override = await setOverride({
      ctx: ctxOf(c),
      input: { ...c.req.valid('param'), ...c.req.valid('json') },
    })
    return c.json(override, 200)
  })
  app.openapi(deleteRoute, async (c) => {
    await deleteOverride({ ctx: ctxOf(c), input: c.req.valid('param') })
    return c.body(null, 204)
  })

  app.use('/v1/calendar/working-days', anyUser)
  app.openapi(workingDaysRoute, async (c) => {
    const { from, days } = c.req.valid('query')
    const calendar = await loadCalendar(ctxOf(c))
    return c.json({ from, days, date: calendar.addWorkingDays(from, days) }, 200)
  })

  app.use('/v1/calendar/coverage', anyUser)
  app.openapi(coverageRoute, async (c) => {
    const coverage = (await loadCalendar(ctxOf(c))).coverage()
    return c.json(
      { ...coverage, packageYears: [...coverage.packageYears], overrideYears: [...coverage.overrideYears] },
      200,
    )
  })
  return app
}
