import { loadConfig } from '../config.js'
import { openDatabase } from '../db/client.js'
import { appliedMigrationCount, migrateDatabase } from '../db/migrate.js'

/** `npm run db:migrate`: applies pending migrations (the gateway also does this at start). */
const config = loadConfig(process.env)
const database = await openDatabase(config)
await migrateDatabase(database)
console.log(`${await appliedMigrationCount(database)} migrations applied (${database.kind})`)
await database.close()
