import { randomUUID } from 'node:crypto'
import type { Ctx } from '../../context.js'
import { withTransaction } from '../../db/tx.js'
import { AppError } from '../../lib/errors.js'
import { recordAudit } from '../audit/record-audit.js'
import { departmentCodes } from '../catalog/repository.js'
import { hashPassword } from './password.js'
import { findUserByName, insertUser } from './repository.js'

export interface CreateUserInput {
  username: string
  password: string
  role: 'admin' | 'clerk'
  department?: string | undefined
}

export interface PublicUser {
  username: string
  role: 'admin' | 'clerk'
  department: string | null
}

export async function createUser({ ctx, input }: { ctx: Ctx; input: CreateUserInput }): Promise<PublicUser> {
  if (input.role === 'clerk' && !input.department) {
    throw new AppError('validation_failed', 'A clerk belongs to a department', {
      errors: [{ location: '/department', code: 'required', message: 'required for a clerk' }],
    })
  }
  if (input.department && !(await departmentCodes(ctx.db)).has(input.department)) {
    throw new AppError('validation_failed', `No department ${input.department}`, {
      errors: [{ location: '/department', code: 'unknown', message: 'unknown department' }],
    })
  }
  const passwordHash = await hashPassword(input.password)
  return withTransaction(ctx, async (tx) => {
    if (await findUserByName(tx.db, input.username)) {
      throw new AppError('conflict', `User ${input.username} exists already`)
    }
    await insertUser(tx.db, {
      id: randomUUID(),
      username: input.username,
      passwordHash,
      role: input.role,
      departmentCode: input.department ?? null,
    })
    await recordAudit(tx, {
      action: 'user.created',
      subject: `user:${input.username}`,
      data: { role: input.role, department: input.department ?? null },
    })
    return { username: input.username, role: input.role, department: input.department ?? null }
  })
}
