import { readFile } from 'node:fs/promises'
import type { Ctx } from '../../context.js'
import { withTransaction } from '../../db/tx.js'
import { projectFile } from '../../lib/project-files.js'
import { recordAudit } from '../audit/record-audit.js'
import type { Department, Item } from './model.js'
import { countAllItems, upsertDepartments, upsertItems } from './repository.js'

const SAMPLE = projectFile('src/modules/catalog/data/sample-catalog.json')

/** On a first start (no items at all), loads the shipped sample catalogue. Returns how many items it loaded. */
export async function loadSampleCatalog({ ctx }: { ctx: Ctx }): Promise<number> {
  if ((await countAllItems(ctx.db)) > 0) return 0
  const sample = JSON.parse(await readFile(SAMPLE, 'utf8')) as { departments: Department[]; items: Item[] }
  return withTransaction(ctx, async (tx) => {
    // Re-checked inside the transaction: another instance may have loaded it meanwhile.
    if ((await countAllItems(tx.db)) > 0) return 0
    await upsertDepartments(tx.db, sample.departments)
    await upsertItems(tx.db, sample.items, tx.clock.now())
    await recordAudit(tx, {
      action: 'catalog.sample_loaded',
      subject: 'catalog',
      data: { departments: sample.departments.length, items: sample.items.length },
    })
    return sample.items.length
  })
}
