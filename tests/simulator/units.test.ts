import { statSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { isValidMobile, isValidResidentId } from '../../src/modules/formats/shared/checks.js'
import {
  addWorkingDays,
  agreementRequest,
  caseFromSample,
  generatedCase,
  loadOrCreatePartnerKey,
  PARTNER_NAMES,
  PARTNERS,
  randomPerson,
  residentIdCheckChar,
  sampleBytes,
} from '../../src/simulator/index.js'

const NOW = new Date('2026-11-28T02:00:00Z')

describe('generated people', () => {
  it('computes the GB 11643 check character', () => {
    expect(residentIdCheckChar('44023319900101123')).toBe('X')
    expect(residentIdCheckChar('11010519491231002')).toBe('X')
    expect(residentIdCheckChar('44011519851203001')).toBe('8')
  })

  it('makes valid resident ID numbers and mobiles, registered in the partner region', () => {
    for (let i = 0; i < 300; i++) {
      const p = randomPerson('441324')
      expect(isValidResidentId(p.idNumber), p.idNumber).toBe(true)
      expect(p.idNumber.startsWith('441324')).toBe(true)
      expect(isValidMobile(p.mobile), p.mobile).toBe(true)
    }
  })
})

describe.each(PARTNER_NAMES)('%s documents', (name) => {
  const profile = PARTNERS[name]

  it('turns the default sample into a new case with a fresh number, still valid in the format', () => {
    const a = caseFromSample(profile, sampleBytes(profile), NOW)
    const b = caseFromSample(profile, sampleBytes(profile), NOW)
    expect(a.caseNo).not.toBe(b.caseNo)
    expect(a.caseNo.startsWith(profile.caseNoPrefix)).toBe(true)
    expect(a.delivery.method).toBe('mail')
    expect(a.itemCode).toBe(profile.inbound.sendsCode)
    expect(profile.format.parseCase(profile.format.renderCase(a))).toMatchObject({ ok: true })
  })

  it('generates a case the format itself accepts', () => {
    const c = generatedCase(profile, NOW)
    const parsed = profile.format.parseCase(profile.format.renderCase(c))
    expect(parsed.ok ? parsed.value.applicant : parsed.errors).toMatchObject({ idType: 'resident_id' })
  })

  it('keeps one key pair in DATA_DIR/partners/<name>/key.json, mode 0600', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kytb-sim-key-'))
    const first = await loadOrCreatePartnerKey(dir, name, NOW)
    const again = await loadOrCreatePartnerKey(dir, name, NOW)
    expect(first.created).toBe(true)
    expect(again.created).toBe(false)
    expect(again.kid).toBe(first.kid)
    expect(first.path).toBe(join(dir, 'partners', name, 'key.json'))
    expect(statSync(first.path).mode & 0o777).toBe(0o600)
    expect(first.publicJwk).not.toHaveProperty('d')
  })

  it('prints the agreement an administrator registers', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kytb-sim-agr-'))
    const key = await loadOrCreatePartnerKey(dir, name, NOW)
    const body = agreementRequest(profile, key.publicJwk, {
      endpoint: `http://127.0.0.1:${profile.defaultPort}/v1/exchange`,
      now: NOW,
    })
    expect(body).toMatchObject({
      partner: { region: profile.region, name: profile.nameZh },
      format: profile.format.id,
      validFrom: '2026-01-01',
      validUntil: '2027-12-31',
    })
    expect(body.keys.keys[0]).toEqual({ ...key.publicJwk })
    const inbound = body.items.find((i) => i.direction === 'inbound')
    expect(inbound).toEqual(
      name === 'longmen'
        ? {
            direction: 'inbound',
            itemCode: '11440233MB2C57298J4000105001000',
            partnerItemCode: 'LM-441324-MZ-0007',
          }
        : { direction: 'inbound', itemCode: '11440233MB2C57298J4000105001000' },
    )
    expect(body.items.filter((i) => i.direction === 'outbound')).toHaveLength(1)
  })
})

describe('promised dates', () => {
  it('counts working days Monday to Friday', () => {
    // 2026-11-28 10:00 Beijing is a Saturday.
    expect(addWorkingDays(NOW, 1)).toBe('2026-11-30')
    expect(addWorkingDays(NOW, 5)).toBe('2026-12-04')
    expect(addWorkingDays(NOW, 6)).toBe('2026-12-07')
  })
})
