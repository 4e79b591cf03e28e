/**
 * Check digits for the identifiers inside a Xinfeng implementation code, so the sample codes
 * pass the same checks a real one would (an integrator validating a USCC should not choke on
 * our sample data).
 *
 * Implementation code (实施编码) as we build it, 31 characters:
 *   department USCC (18) + item kind (1) + national basic code (12)
 * USCC (统一社会信用代码, GB 32100-2015):
 *   registration type (2, e.g. "11" 机关) + region "440233" + organisation code (9, GB 11714) + check (1)
 */

const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]
const ORG_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'

/** GB 11714-1997: the ninth character of an organisation code. */
export function organisationCheck(body: string): string {
  if (!/^[0-9A-Z]{8}$/.test(body)) throw new Error(`bad organisation code body ${body}`)
  let sum = 0
  for (let i = 0; i < 8; i++) sum += ORG_ALPHABET.indexOf(body[i] as string) * (ORG_WEIGHTS[i] as number)
  const check = 11 - (sum % 11)
  return check === 10 ? 'X' : check === 11 ? '0' : String(check)
}

/** GB 32100-2015: the eighteenth character of a USCC. */
export function usccCheck(first17: string): string {
  let sum = 0
  for (let i = 0; i < 17; i++) {
    const value = USCC_ALPHABET.indexOf(first17[i] as string)
    if (value < 0) throw new Error(`bad USCC character in ${first17}`)
    sum += value * (USCC_WEIGHTS[i] as number)
  }
  return USCC_ALPHABET[(31 - (sum % 31)) % 31] as string
}

/** A full USCC from its registration type, region and the 8-character organisation code body. */
export function buildUscc(type: string, region: string, orgBody: string): string {
  const first17 = `${type}${region}${orgBody}${organisationCheck(orgBody)}`
  return `${first17}${usccCheck(first17)}`
}
