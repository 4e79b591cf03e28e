import { readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import { parseArgs } from 'node:util'
import { ConfigError, loadConfig } from '../config.js'
import type { Actor, Ctx } from '../context.js'
import { openDatabase } from '../db/client.js'
import { migrateDatabase } from '../db/migrate.js'
import { systemClock } from '../lib/clock.js'
import { createLogger } from '../lib/logger.js'
import { importCatalog } from '../modules/catalog/import-catalog.js'
import { departmentCodes } from '../modules/catalog/repository.js'

/**
 * `npm run catalog:import -- FILE [--partial]`: loads a catalogue file (CSV or JSON, see
 * src/modules/catalog/import/parse-catalog-file.ts) into the database of this environment.
 *
 * Exit codes: 0 imported; 1 the file has errors (nothing written unless --partial); 2 usage,
 * settings or an unreadable file.
 *
 * Departments are not imported: they come with the sample catalogue on the gateway's first
 * start, so start the gateway once before importing. With the embedded database (no
 * DATABASE_URL) stop the gateway first: PGlite's data directory has one user at a time.
 */
const CLI_ACTOR: Actor = { kind: 'system', name: 'catalog-import-cli' }

function fail(message: string): never {
  console.error(message)
  process.exit(2)
}

const USAGE = 'usage: npm run catalog:import -- FILE [--partial]'

function readArgs() {
  try {
    return parseArgs({ allowPositionals: true, options: { partial: { type: 'boolean', default: false } } })
  } catch (err) {
    return fail(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`)
  }
}
const args = readArgs()
const [file, ...extra] = args.positionals
if (file === undefined || extra.length > 0) fail(USAGE)

let config: ReturnType<typeof loadConfig>
try {
  config = loadConfig(process.env)
} catch (err) {
  if (err instanceof ConfigError) fail(err.message)
  throw err
}

let bytes: Uint8Array
try {
  bytes = await readFile(file)
} catch (err) {
  const code = (err as NodeJS.ErrnoException).code
  fail(
    code === 'ENOENT' ? `cannot read ${file}: no such file` : `cannot read ${file}: ${code ?? String(err)}`,
  )
}

const database = await openDatabase(config)
try {
  await migrateDatabase(database)
  const ctx: Ctx = {
    db: database.db,
    config,
    clock: systemClock,
    // The CLI's own output is for a person; JSON log lines would only interleave with it.
    log: createLogger('warn'),
    actor: CLI_ACTOR,
    // An import signs nothing; failing loudly beats opening (or creating) the gateway's keys here.
    signer: { sign: () => Promise.reject(new Error('the catalogue import CLI does not sign')) },
  }
  if ((await departmentCodes(ctx.db)).size === 0) {
    console.error(
      'note: the database has no departments yet; start the gateway once (it loads them with the sample catalogue)',
    )
  }

  // A line per 10 % on big files, so an operator sees it is alive; small files finish at once.
  let shown = -1
  const onProgress = (done: number, total: number) => {
    if (total < 1000) return
    const tenth = Math.floor((done / total) * 10)
    if (tenth === shown) return
    shown = tenth
    console.error(`writing: ${done} of ${total} rows (${tenth * 10} %)`)
  }

  const report = await importCatalog({
    ctx,
    input: { bytes, fileName: basename(file), partial: args.values.partial ?? false, onProgress },
  })
  for (const e of report.errors) console.error(`line ${e.line}, field ${e.field}: ${e.message}`)
  const written = report.errors.length === 0 || args.values.partial
  console.log(
    `${report.format.toUpperCase()} file, ${report.rows} rows checked, ${report.errors.length} errors: ` +
      (written
        ? `${report.imported} imported (${report.inserted} inserted, ${report.updated} updated, ${report.unchanged} unchanged)`
        : 'nothing written (fix the rows above, or use --partial to import the good rows)'),
  )
  process.exitCode = report.errors.length > 0 ? 1 : 0
} finally {
  await database.close()
}
