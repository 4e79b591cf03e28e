import type { Ctx } from '../../context.js'
import { AppError } from '../../lib/errors.js'
import type { Department, Item } from './model.js'
import { findItem, listDepartments as selectDepartments } from './repository.js'

export async function getItem({ ctx, input }: { ctx: Ctx; input: { code: string } }): Promise<Item> {
  const item = await findItem(ctx.db, input.code)
  if (!item) throw new AppError('not_found', `No item ${input.code}`)
  return item
}

export async function listDepartments({ ctx }: { ctx: Ctx }): Promise<Department[]> {
  return selectDepartments(ctx.db)
}
