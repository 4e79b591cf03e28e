import { randomUUID } from 'node:crypto'
import type { Ctx } from '../../context.js'
import { withTransaction } from '../../db/tx.js'
import type { UserActor } from '../../http/auth.js'
import { beijingDate } from '../../lib/clock.js'
import { AppError, type FieldError } from '../../lib/errors.js'
import type { Applicant, CanonicalCase, Delivery, Party } from '../formats/canonical.js'
import { getFormat } from '../formats/registry.js'
import { formatBeijing } from '../formats/shared/times.js'
import { enqueueMessage } from '../outbox/enqueue-message.js'
import { recordStateChange } from '../stats/record-state-change.js'
import type { TrustStore } from '../trust/envelope/index.js'
import { type ApiMaterial, materialsFromApi } from './api-materials.js'
import { checkParties } from './check-parties.js'
import { contentDigest, splitMaterials } from './documents.js'
import {
  departmentName,
  findOutboundItem,
  insertCase,
  insertMaterials,
  nextCaseNumber,
} from './repository.js'

export interface OutboundCaseInput {
  partner: string
  partnerItemCode: string
  applicant: Applicant
  agent?: Party | undefined
  materials: ApiMaterial[]
  delivery: Delivery
  form?: Record<string, string> | undefined
  remark?: string | undefined
  /** An administrator records on behalf of a department; a clerk always for its own. */
  department?: string | undefined
}

/** Where Xinfeng collects cases for partners: written into every outbound case. */
const OUR_WINDOW = { code: 'XF-ZWFW-KYTB', name: '新丰县政务服务中心 跨域通办专窗' }

/**
 * A case collected at a Xinfeng window for a partner's item (`POST /v1/cases`): checked against
 * the agreement's outbound items, rendered in the partner's format and queued for delivery.
 */
export async function createOutboundCase({
  ctx,
  actor,
  trust,
  input,
}: {
  ctx: Ctx
  actor: UserActor
  trust: TrustStore
  input: OutboundCaseInput
}): Promise<{ caseNo: string }> {
  const department = actor.role === 'clerk' ? actor.department : input.department
  if (!department) {
    throw new AppError('validation_failed', 'Name the department the case belongs to', {
      errors: [{ location: '/department', code: 'required', message: 'required for an administrator' }],
    })
  }
  const agreement = await trust.agreementFor(input.partner)
  if (agreement?.status !== 'active') {
    throw new AppError('agreement_inactive', `No active agreement with ${input.partner}`)
  }
  const item = await findOutboundItem(ctx.db, agreement.id, input.partnerItemCode)
  if (!item)
    throw new AppError(
      'item_not_in_agreement',
      `${input.partnerItemCode} is not an outbound item of the agreement`,
    )
  const format = getFormat(agreement.format)
  if (!format) throw new Error(`format ${agreement.format} is not installed`)

  const problems: FieldError[] = checkParties(input)
  if (problems.length > 0)
    throw new AppError('validation_failed', `${problems.length} fields are invalid`, { errors: problems })
  const materials = materialsFromApi(input.materials, '/materials')

  return withTransaction(ctx, async (tx) => {
    const now = tx.clock.now()
    const caseNo = `XF-${beijingDate(now).slice(0, 4)}-${String(await nextCaseNumber(tx.db)).padStart(6, '0')}`
    const doc: CanonicalCase = {
      caseNo,
      itemCode: item.partnerItemCode,
      itemName: item.name ?? input.partnerItemCode,
      mode: 'proxy',
      receivedAt: formatBeijing(Math.floor(now.getTime() / 1000) * 1000),
      window: OUR_WINDOW,
      clerk: { name: actor.username, id: actor.username },
      applicant: input.applicant,
      ...(input.agent ? { agent: input.agent } : {}),
      ...(input.form ? { form: input.form } : {}),
      materials,
      delivery: input.delivery,
      ...(input.remark ? { remark: input.remark } : {}),
    }
    const payload = format.renderCase(doc)
    // The partner will parse what we send with its own rules: refuse here what it would refuse there.
    const check = format.parseCase(payload)
    if (!check.ok) {
      throw new AppError('validation_failed', `The case breaks ${agreement.format}`, { errors: check.errors })
    }
    const caseId = randomUUID()
    const { stored, rows } = splitMaterials(materials)
    const row = {
      id: caseId,
      caseNo,
      direction: 'outbound',
      partnerRegion: input.partner,
      agreementId: agreement.id,
      partnerCaseNo: null,
      itemCode: null,
      partnerItemCode: item.partnerItemCode,
      itemName: item.name ?? item.partnerItemCode,
      departmentCode: department,
      state: 'submitted',
      applicantName: input.applicant.name,
      document: { ...doc, materials: stored, handlerDept: await departmentName(tx.db, department) },
      documentDigest: contentDigest(doc),
      deliveryMethod: input.delivery.method,
      promisedDays: item.promisedDays ?? 0,
      receivedAt: now,
      createdAt: now,
      updatedAt: now,
    } as const
    await insertCase(tx.db, row)
    await recordStateChange(tx.db, row, null, 'submitted')
    await insertMaterials(
      tx.db,
      rows.map((r) => ({ ...r, caseId })),
    )
    await enqueueMessage(
      tx.db,
      {
        partnerRegion: input.partner,
        agreementId: agreement.id,
        caseId,
        caseSeq: 0,
        typ: 'kytb-case',
        cty: format.cty,
        payload,
      },
      now,
    )
    return { caseNo }
  })
}
