/** Canonical status → Conghua `CaseStatus`, deterministic: the spec sample's element order. */
import { renderXml } from '../../../lib/xml.js'
import type { CanonicalStatus } from '../canonical.js'
import { EVENT_CODES, EVENT_NAMES_ZH, fromCanonical, RESULT_OUTCOME_CODES } from '../shared/code-lists.js'
import { CONGHUA_NAMESPACE } from './parse-common.js'
import { encodeUtf8, leaf, materialsOut } from './render-common.js'

export function renderStatus(s: CanonicalStatus): Uint8Array {
  const r = s.result
  const doc = renderXml(
    {
      name: 'CaseStatus',
      children: [
        leaf('CaseNo', s.caseNo),
        leaf('PeerCaseNo', s.peerCaseNo),
        leaf('Seq', String(s.seq)),
        leaf('StatusCode', fromCanonical(EVENT_CODES, 'conghua', s.type)),
        leaf('StatusName', EVENT_NAMES_ZH[s.type]),
        leaf('OccurredAt', s.occurredAt),
        // An empty handler is written as <Handler/>, which parses back to {}.
        s.handler
          ? { name: 'Handler', children: [leaf('Dept', s.handler.dept), leaf('Name', s.handler.name)] }
          : undefined,
        leaf('Opinion', s.reason),
        leaf('PromisedDate', s.promisedDate),
        s.correction?.length
          ? {
              name: 'Correction',
              children: s.correction.map((i) => ({
                name: 'Item',
                children: [leaf('Code', i.code), leaf('Name', i.name), leaf('Note', i.note)],
              })),
            }
          : undefined,
        s.materials?.length ? materialsOut(s.materials) : undefined,
        r
          ? {
              name: 'Result',
              attrs: { code: fromCanonical(RESULT_OUTCOME_CODES, 'conghua', r.outcome) },
              children: [
                leaf('Name', r.documentName),
                leaf('DocumentNo', r.documentNo),
                r.waybill ? leaf('Waybill', r.waybill.number, { carrier: r.waybill.carrier }) : undefined,
              ],
            }
          : undefined,
      ],
    },
    CONGHUA_NAMESPACE,
  )
  return encodeUtf8(doc)
}
