/**
 * Conghua's XML format (docs: /work/shared/partners/conghua-xml-v1.md; readings and samples:
 * contracts/conghua-xml-v1/).
 */
import type { PartnerFormat } from '../canonical.js'
import { parseCase } from './parse-case.js'
import { parseStatus } from './parse-status.js'
import { renderCase } from './render-case.js'
import { renderStatus } from './render-status.js'

export { CONGHUA_NAMESPACE } from './parse-common.js'

export const conghuaXmlV1: PartnerFormat = {
  id: 'conghua-xml-v1',
  cty: 'xml',
  parseCase,
  parseStatus,
  renderCase,
  renderStatus,
}
