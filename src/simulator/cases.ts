import { createHash, randomInt } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { projectFile } from '../lib/project-files.js'
import type { CanonicalCase, Material } from '../modules/formats/canonical.js'
import { formatBeijing } from '../modules/formats/shared/times.js'
import { randomPerson } from './identity.js'
import type { PartnerProfile } from './partners.js'

const CONTRACTS = projectFile('contracts')

/** A fresh case number of this partner: prefix, Beijing time to the second, three random digits. */
export function newCaseNo(profile: PartnerProfile, now: Date, infix = ''): string {
  const digits = formatBeijing(now.getTime()).slice(0, 19).replace(/[-T:]/g, '')
  return `${profile.caseNoPrefix}${infix}${digits}${String(randomInt(0, 1000)).padStart(3, '0')}`
}

/** A sample file: a path as given, or a file name in the format's `contracts/<format>/samples/valid/`. */
export function sampleBytes(profile: PartnerProfile, file = profile.defaultSample): Buffer {
  if (existsSync(file)) return readFileSync(file)
  const inContracts = `${CONTRACTS}/${profile.format.id}/samples/valid/${file}`
  if (existsSync(inContracts)) return readFileSync(inContracts)
  throw new Error(`no sample ${file} (looked in the current directory and ${inContracts})`)
}

/**
 * A contract sample as a new case: parsed with the format's own parser, given a fresh case number
 * and reception time, so the same sample can be submitted again and again.
 */
export function caseFromSample(profile: PartnerProfile, bytes: Uint8Array, now: Date): CanonicalCase {
  const parsed = profile.format.parseCase(bytes)
  if (!parsed.ok) {
    const why = parsed.errors.map((e) => `${e.location}: ${e.message}`).join('; ')
    throw new Error(`the sample is not a valid ${profile.format.id} case: ${why}`)
  }
  return { ...parsed.value, caseNo: newCaseNo(profile, now), receivedAt: formatBeijing(now.getTime()) }
}

/** A generated marriage registration: a random applicant with a valid ID number, mail delivery. */
export function generatedCase(profile: PartnerProfile, now: Date): CanonicalCase {
  const person = randomPerson(profile.region)
  return {
    caseNo: newCaseNo(profile, now),
    itemCode: profile.inbound.sendsCode,
    itemName: profile.inbound.itemName,
    mode: 'proxy',
    receivedAt: formatBeijing(now.getTime()),
    window: profile.window,
    clerk: profile.clerk,
    applicant: {
      kind: 'person',
      name: person.name,
      idType: 'resident_id',
      idNumber: person.idNumber,
      mobile: person.mobile,
      address: profile.address,
    },
    form: { marriageType: '初婚' },
    materials: [
      textMaterial('M01', '居民身份证', `居民身份证 ${person.name} ${person.idNumber}\n`, true),
      textMaterial('M02', '户口簿', `户口簿 户主页 ${person.name}\n`, false),
    ],
    delivery: { method: 'mail', recipient: person.name, mobile: person.mobile, address: profile.address },
    remark: '模拟数据 simulated data',
  }
}

/** A small text file as a material, with its size and digest computed. */
export function textMaterial(code: string, name: string, text: string, original = false): Material {
  const bytes = Buffer.from(text, 'utf8')
  return {
    code,
    name,
    original,
    file: {
      name: `${code.toLowerCase()}.txt`,
      mediaType: 'text/plain',
      size: bytes.byteLength,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      content: bytes.toString('base64'),
    },
  }
}
