import type { Ctx } from '../../context.js'
import type { PublicUser } from './create-user.js'
import { listUsers as selectUsers } from './repository.js'

export async function listUsers({ ctx }: { ctx: Ctx }): Promise<(PublicUser & { disabled: boolean })[]> {
  const rows = await selectUsers(ctx.db)
  return rows.map((u) => ({
    username: u.username,
    role: u.role,
    department: u.departmentCode,
    disabled: u.disabled,
  }))
}
