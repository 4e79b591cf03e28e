import { sql } from 'drizzle-orm'
import { boolean, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core'

export const departments = pgTable('departments', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
})

export const items = pgTable(
  'items',
  {
    code: text('code').primaryKey(),
    basicCode: text('basic_code').notNull().unique(),
    name: text('name').notNull(),
    departmentCode: text('department_code')
      .notNull()
      .references(() => departments.code),
    modes: text('modes').array().notNull(),
    promisedDays: integer('promised_days').notNull(),
    status: text('status', { enum: ['catalogued', 'online', 'paused', 'retired'] }).notNull(),
    township: boolean('township').notNull().default(false),
    crossCity: boolean('cross_city').notNull().default(false),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().default(sql`now()`),
  },
  (t) => [
    index('items_department_idx').on(t.departmentCode, t.code),
    index('items_status_idx').on(t.status, t.code),
  ],
)

/** Administrator additions to the package's holiday data (a newly published year, a late change). */
export const calendarOverrides = pgTable('calendar_overrides', {
  date: text('date').primaryKey(),
  kind: text('kind', { enum: ['holiday', 'workday'] }).notNull(),
  name: text('name'),
  createdBy: text('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().default(sql`now()`),
})
