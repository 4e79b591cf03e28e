/**
 * The checks every imported catalogue row passes, one zod schema per file format over the same
 * field rules. JSON carries typed values; CSV carries text, so its schema first turns cells into
 * the same types (and says what it expected when it cannot).
 */
import { z } from 'zod'
import { ITEM_MODES, ITEM_STATUSES, type Item, type ItemMode } from '../model.js'

/** The CSV header, in the order exports write it; an import accepts them in any order. */
export const CATALOG_COLUMNS = [
  'code',
  'basicCode',
  'name',
  'department',
  'modes',
  'promisedDays',
  'status',
  'township',
  'crossCity',
] as const
export type CatalogColumn = (typeof CATALOG_COLUMNS)[number]

/** Longest time limit we accept: a larger one is a typo (days typed as hours or a date). */
export const MAX_PROMISED_DAYS = 365

const shown = (input: unknown) => JSON.stringify(input) ?? String(input)
const required =
  (expected: string) =>
  (issue: { input?: unknown }): string =>
    issue.input === undefined || issue.input === null
      ? 'is required'
      : `must be ${expected} (got ${shown(issue.input)})`

// Codes travel in URLs (/v1/items/{code}) and partner messages: letters and digits only.
const code = z
  .string({ error: required('text') })
  .trim()
  .regex(/^[0-9A-Za-z]{1,64}$/, 'must be 1 to 64 letters or digits')

const name = z
  .string({ error: required('text') })
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')

const department = (known: ReadonlySet<string>) =>
  z
    .string({ error: required('text') })
    .trim()
    .min(1, 'must not be empty')
    .refine((value) => known.has(value), { error: (issue) => `unknown department ${shown(issue.input)}` })

const modes = z
  .array(
    z.enum(ITEM_MODES, { error: (issue) => `${shown(issue.input)} is not one of ${ITEM_MODES.join(', ')}` }),
    {
      error: required('a list of modes'),
    },
  )
  .min(1, `must list at least one of ${ITEM_MODES.join(', ')}`)
  .refine((list) => new Set(list).size === list.length, 'lists a mode twice')
  // Stored in one canonical order, so re-importing the same item never looks like a change.
  .transform((list): ItemMode[] => ITEM_MODES.filter((mode) => list.includes(mode)))

const promisedDays = z
  .number({ error: required('a number') })
  .int('must be a whole number of working days')
  .min(1, 'must be at least 1 working day')
  .max(MAX_PROMISED_DAYS, `must be at most ${MAX_PROMISED_DAYS} working days`)

const status = z.enum(ITEM_STATUSES, {
  error: (issue) =>
    issue.input === undefined
      ? 'is required'
      : `${shown(issue.input)} is not one of ${ITEM_STATUSES.join(', ')}`,
})

const flag = z.boolean({ error: required('true or false') })

export function jsonRowSchema(knownDepartments: ReadonlySet<string>) {
  return z.object({
    code,
    basicCode: code,
    name,
    department: department(knownDepartments),
    modes,
    promisedDays,
    status,
    township: flag,
    crossCity: flag,
  }) satisfies z.ZodType<Item, unknown>
}

const csvModes = z
  .string()
  .transform((cell) => (cell.trim() === '' ? [] : cell.split('|').map((mode) => mode.trim())))
  .pipe(modes)

const csvDays = z
  .string()
  .trim()
  .regex(/^\d+$/, 'must be a whole number of working days')
  .transform(Number)
  .pipe(promisedDays)

// Excel rewrites true/false as TRUE/FALSE when it saves a CSV, so case does not matter.
const csvFlag = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(['true', 'false'], { error: (issue) => `must be true or false (got ${shown(issue.input)})` }))
  .transform((cell) => cell === 'true')

const csvStatus = z.string().trim().pipe(status)

/** Cells are strings keyed by column; the header check has already made sure all are there. */
export function csvRowSchema(knownDepartments: ReadonlySet<string>) {
  return z.object({
    code,
    basicCode: code,
    name,
    department: department(knownDepartments),
    modes: csvModes,
    promisedDays: csvDays,
    status: csvStatus,
    township: csvFlag,
    crossCity: csvFlag,
  }) satisfies z.ZodType<Item, Record<CatalogColumn, string>>
}
