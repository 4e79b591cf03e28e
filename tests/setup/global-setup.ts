import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import postgres from 'postgres'
import type { TestProject } from 'vitest/node'
import { loadConfig } from '../../src/config.js'
import { openPglite, openPostgres } from '../../src/db/client.js'
import { createLogger } from '../../src/lib/logger.js'
import { prepare } from '../../src/start.js'
import { TEST_ADMIN_PASSWORD } from '../helpers/constants.js'

/**
 * Builds one migrated database with the sample catalogue and an administrator, once per run;
 * every test file then starts from a copy of it (PGlite: a data-dir dump; PostgreSQL: a
 * template database), which is much faster than migrating per file.
 */
export default async function setup(project: TestProject) {
  const config = loadConfig({
    ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
    LOG_LEVEL: 'silent',
    DATA_DIR: await mkdtemp(join(tmpdir(), 'kytb-template-')),
  })
  const log = createLogger('silent')
  const url = process.env.TEST_DATABASE_URL
  if (url) {
    const name = `kytb_tmpl_${process.pid}_${Date.now()}`
    const admin = postgres(url, { max: 1, onnotice: () => {} })
    await admin.unsafe(`create database ${name}`)
    const templateUrl = withDatabase(url, name)
    const database = openPostgres(templateUrl, 2)
    await prepare(config, log, { database })
    await database.close()
    project.provide('pgTemplate', name)
    return async () => {
      const dbs = await admin<{ datname: string }[]>`
        select datname from pg_database where datname like ${`kytb_t_${process.pid}_%`} or datname = ${name}`
      for (const { datname } of dbs) await admin.unsafe(`drop database if exists ${datname} with (force)`)
      await admin.end()
    }
  }
  const instance = new PGlite()
  const database = await openPglite({ instance })
  await prepare(config, log, { database })
  const dump = await instance.dumpDataDir('none')
  const file = join(tmpdir(), `kytb-template-${process.pid}.tar`)
  await writeFile(file, Buffer.from(await dump.arrayBuffer()))
  await instance.close()
  project.provide('pgliteTemplate', file)
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url)
  u.pathname = `/${name}`
  return u.toString()
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgTemplate?: string
    pgliteTemplate?: string
  }
}
