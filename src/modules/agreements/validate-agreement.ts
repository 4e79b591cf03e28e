import type { Ctx } from '../../context.js'
import { fieldErrorsOf } from '../../http/validation.js'
import { AppError, type FieldError } from '../../lib/errors.js'
import { findItemsByCodes } from '../catalog/repository.js'
import { getFormat } from '../formats/registry.js'
import type { AgreementItem, NewAgreement } from './model.js'
import { AgreementBody } from './schemas.js'
import { validateEndpoint } from './validate-endpoint.js'
import { validateJwks } from './validate-jwks.js'

export function validationFailed(errors: FieldError[]): AppError {
  const n = errors.length
  return new AppError('validation_failed', `${n} field${n === 1 ? ' is' : 's are'} invalid`, { errors })
}

export function throwIfInvalid(errors: FieldError[]): void {
  if (errors.length > 0) throw validationFailed(errors)
}

/** A calendar day that exists (2026-02-30 does not). */
export function isRealDate(day: string): boolean {
  const d = new Date(`${day}T00:00:00Z`)
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === day
}

/**
 * Everything about a new agreement that can be checked when it is written: its shape, the
 * partner, format, endpoint, dates, keys, and that every inbound item is in the catalogue.
 * All problems are reported at once, each with its JSON Pointer in the request body.
 */
export async function validateAgreement({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<NewAgreement> {
  const parsed = AgreementBody.safeParse(input)
  if (!parsed.success) throw validationFailed(fieldErrorsOf(parsed.error))
  const body = parsed.data
  const errors: FieldError[] = []
  const fail = (location: string, code: string, message: string) => errors.push({ location, code, message })

  if (body.partner.region === ctx.config.GATEWAY_REGION) {
    fail('/partner/region', 'own_region', `${body.partner.region} is Xinfeng itself, not a partner`)
  }
  if (!getFormat(body.format)) fail('/format', 'unknown_format', `no partner format ${body.format}`)
  const endpoint = validateEndpoint(body.endpoint, ctx.config.ALLOW_INSECURE_ENDPOINTS)
  errors.push(...endpoint.errors)
  for (const name of ['validFrom', 'validUntil'] as const) {
    if (!isRealDate(body[name])) fail(`/${name}`, 'invalid_date', `${body[name]} is not a calendar date`)
  }
  if (body.validFrom > body.validUntil) fail('/validUntil', 'date_order', 'validUntil is before validFrom')
  const jwks = await validateJwks(body.keys, '/keys')
  errors.push(...jwks.errors)

  const catalogue = await findItemsByCodes(
    ctx.db,
    body.items.flatMap((i) => (i.direction === 'inbound' ? [i.itemCode] : [])),
  )
  const items: AgreementItem[] = []
  const seen = new Set<string>()
  for (const [i, item] of body.items.entries()) {
    let partnerItemCode = item.partnerItemCode
    if (item.direction === 'inbound') {
      const known = catalogue.get(item.itemCode)
      if (!known) {
        fail(`/items/${i}/itemCode`, 'unknown_item', `no item ${item.itemCode} in the catalogue`)
        continue
      }
      // Conghua sends national basic codes; a partner with codes of its own names them.
      partnerItemCode ??= known.basicCode
      items.push({ direction: 'inbound', itemCode: item.itemCode, partnerItemCode })
    } else {
      items.push({ ...item })
    }
    const key = `${item.direction}\n${partnerItemCode}`
    if (seen.has(key)) {
      const where = item.partnerItemCode === undefined ? `/items/${i}` : `/items/${i}/partnerItemCode`
      fail(
        where,
        'duplicate_partner_item_code',
        `${item.direction} partner item code ${partnerItemCode} is listed twice`,
      )
    }
    seen.add(key)
  }
  throwIfInvalid(errors)

  return {
    partner: body.partner,
    format: body.format,
    endpoint: endpoint.endpoint as string,
    validFrom: body.validFrom,
    validUntil: body.validUntil,
    maxPayloadBytes: body.maxPayloadBytes,
    keys: jwks.keys,
    items,
  }
}
