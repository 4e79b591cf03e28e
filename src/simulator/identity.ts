/**
 * Random but plausible applicants for `submit --generate`: a name, a resident ID number with a
 * correct GB 11643 check character, and a mainland mobile number. Not real people.
 */
import { randomInt } from 'node:crypto'
import { isValidResidentId } from '../modules/formats/shared/checks.js'

const SURNAMES = ['陈', '李', '黄', '张', '梁', '刘', '何', '林', '罗', '钟', '赖', '曾', '邱', '潘']
const GIVEN = ['志强', '美玲', '嘉怡', '俊杰', '丽华', '晓明', '雅婷', '伟东', '秀英', '家豪', '惠敏', '国平']
const MOBILE_PREFIXES = ['135', '136', '137', '138', '139', '150', '158', '159', '186', '187', '188', '189']

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const
const CHECK = '10X98765432'

/** The ISO 7064 MOD 11-2 check character of the first 17 digits. */
export function residentIdCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new TypeError('expected 17 digits')
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!
  return CHECK[sum % 11]!
}

export interface Person {
  name: string
  idNumber: string
  mobile: string
  birthDate: string
}

/** A person registered in `region` (6 digits), born 1960–2003. */
export function randomPerson(region: string): Person {
  const year = randomInt(1960, 2004)
  const month = randomInt(1, 13)
  const day = randomInt(1, 29)
  const birth = `${year}${pad(month)}${pad(day)}`
  const first17 = `${region}${birth}${String(randomInt(0, 1000)).padStart(3, '0')}`
  const idNumber = first17 + residentIdCheckChar(first17)
  if (!isValidResidentId(idNumber)) throw new Error(`generated an invalid ID number ${idNumber}`)
  return {
    name: pick(SURNAMES) + pick(GIVEN),
    idNumber,
    mobile: pick(MOBILE_PREFIXES) + String(randomInt(0, 100_000_000)).padStart(8, '0'),
    birthDate: `${year}-${pad(month)}-${pad(day)}`,
  }
}

function pick<T>(list: readonly T[]): T {
  return list[randomInt(0, list.length)]!
}

function pad(n: number): string {
  return String(n).padStart(2, '0')
}
