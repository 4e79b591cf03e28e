import type { PartnerFormat } from '../canonical.js'
import { parseCase } from './parse-case.js'
import { parseStatus } from './parse-status.js'
import { renderCase } from './render-case.js'
import { renderStatus } from './render-status.js'

/** Longmen County's JSON documents (longmen-json-v1.md); readings are in contracts/longmen-json-v1/README.md. */
export const longmenJsonV1: PartnerFormat = {
  id: 'longmen-json-v1',
  cty: 'json',
  parseCase,
  parseStatus,
  renderCase,
  renderStatus,
}
