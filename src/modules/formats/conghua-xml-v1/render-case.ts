/** Canonical case → Conghua `DelegatedCase`, deterministic: the spec sample's element order. */
import { renderXml } from '../../../lib/xml.js'
import type { CanonicalCase } from '../canonical.js'
import { DELIVERY_METHOD_CODES, fromCanonical, MODE_CODES } from '../shared/code-lists.js'
import { CONGHUA_NAMESPACE } from './parse-common.js'
import { encodeUtf8, leaf, materialsOut, partyOut } from './render-common.js'

export function renderCase(c: CanonicalCase): Uint8Array {
  const { kind, ...applicant } = c.applicant
  const doc = renderXml(
    {
      name: 'DelegatedCase',
      children: [
        leaf('CaseNo', c.caseNo),
        leaf('ItemCode', c.itemCode),
        leaf('ItemName', c.itemName),
        leaf('Mode', fromCanonical(MODE_CODES, 'conghua', c.mode)),
        leaf('ReceivedAt', c.receivedAt),
        leaf('Window', c.window.name, { code: c.window.code || undefined }),
        { name: 'Clerk', children: [leaf('Name', c.clerk.name), leaf('Id', c.clerk.id)] },
        partyOut('Applicant', applicant, kind),
        c.agent ? partyOut('Agent', c.agent) : undefined,
        c.form
          ? {
              name: 'Form',
              // Sorted, so the bytes depend on the form's content only (jsonb reorders keys);
              // empty values are written too: the parser accepts an empty Field.
              children: Object.entries(c.form)
                .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
                .map(([name, text]) => ({
                  name: 'Field',
                  attrs: { name },
                  text,
                })),
            }
          : undefined,
        materialsOut(c.materials),
        {
          name: 'ResultDelivery',
          attrs: { method: fromCanonical(DELIVERY_METHOD_CODES, 'conghua', c.delivery.method) },
          children: [
            leaf('Recipient', c.delivery.recipient),
            leaf('Mobile', c.delivery.mobile),
            leaf('Address', c.delivery.address),
          ],
        },
        leaf('Remark', c.remark),
      ],
    },
    CONGHUA_NAMESPACE,
  )
  return encodeUtf8(doc)
}
