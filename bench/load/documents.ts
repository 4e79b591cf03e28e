/**
 * Realistic delegated cases of about 4 KB for the load run: the partner's own marriage
 * registration shape (applicant with a valid resident ID, agent, form, mail delivery) and one
 * scanned-document material of ~3 KB, rendered in the partner's format. Every case has its own
 * CaseNo; everything else is generated once, so rendering stays cheap.
 */
import { createHash } from 'node:crypto'
import type { CanonicalCase } from '../../src/modules/formats/canonical.js'
import { formatBeijing } from '../../src/modules/formats/shared/times.js'
import { generatedCase } from '../../src/simulator/cases.js'
import { randomPerson } from '../../src/simulator/identity.js'
import { PARTNERS, type PartnerName } from '../../src/simulator/partners.js'

export const PAYLOAD_TARGET_BYTES = 4096

/** Bytes that look like a small PDF scan: a header, then deterministic noise. */
function scanBytes(size: number, seed: number): Buffer {
  const out = Buffer.alloc(size)
  Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1').copy(out)
  let x = seed >>> 0 || 1
  for (let i = 16; i < size; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    out[i] = x & 0xff
  }
  return out
}

/** The simulator's generated case (simulator/cases.ts) with an agent and one scanned material. */
function caseWith(partner: PartnerName, caseNo: string, receivedAt: Date, scan: Buffer): CanonicalCase {
  const p = PARTNERS[partner]
  const agent = randomPerson(p.region)
  return {
    ...generatedCase(p, receivedAt),
    caseNo,
    // Whole seconds, as partners' systems send them.
    receivedAt: formatBeijing(Math.floor(receivedAt.getTime() / 1000) * 1000),
    agent: { name: agent.name, idType: 'resident_id', idNumber: agent.idNumber, mobile: agent.mobile },
    materials: [
      {
        code: 'M01',
        name: '居民身份证',
        original: true,
        file: {
          name: 'sfz-scan.pdf',
          mediaType: 'application/pdf',
          size: scan.byteLength,
          sha256: createHash('sha256').update(scan).digest('hex'),
          content: scan.toString('base64'),
        },
      },
    ],
    remark: '压力测试数据 load-test data',
  }
}

/**
 * A maker of distinct case documents for `partner`, sized so that each payload is about
 * PAYLOAD_TARGET_BYTES: the material is sized once against the rest of the document.
 */
export function caseDocuments(partner: PartnerName, runId: string) {
  const format = PARTNERS[partner].format
  const prefix = `${PARTNERS[partner].caseNoPrefix}B${runId}`.slice(0, 24)
  const now = new Date()
  const bare = format.renderCase(caseWith(partner, `${prefix}-0`, now, scanBytes(3, 1))).byteLength
  const scanSize = Math.max(64, Math.floor(((PAYLOAD_TARGET_BYTES - bare) * 3) / 4))
  const scan = scanBytes(scanSize, 7)
  return (i: number, at: Date = now): Uint8Array =>
    format.renderCase(caseWith(partner, `${prefix}-${i}`, at, scan))
}
