import { readFile } from 'node:fs/promises'
import { PGlite } from '@electric-sql/pglite'
import postgres from 'postgres'
import { inject } from 'vitest'
import { type Database, openPglite, openPostgres } from '../../src/db/client.js'
import { withDatabase } from '../setup/global-setup.js'

let counter = 0

/** A database of this test file's own, copied from the run's migrated template. */
export async function openTestDatabase(): Promise<Database> {
  const url = process.env.TEST_DATABASE_URL
  const template = inject('pgTemplate')
  if (url && template) {
    const name = `kytb_t_${process.ppid}_${process.pid}_${counter++}_${Date.now() % 100000}`
    const admin = postgres(url, { max: 1, onnotice: () => {} })
    await admin.unsafe(`create database ${name} template ${template}`)
    const database = openPostgres(withDatabase(url, name), 5)
    return {
      ...database,
      close: async () => {
        await database.close()
        await admin.unsafe(`drop database if exists ${name} with (force)`)
        await admin.end()
      },
    }
  }
  const file = inject('pgliteTemplate')
  if (!file) throw new Error('global setup did not provide a database template')
  const instance = new PGlite({ loadDataDir: new Blob([await readFile(file)]) })
  return openPglite({ instance })
}
