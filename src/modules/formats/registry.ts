/** Partner formats by the agreement's `format` value. */
import type { PartnerFormat } from './canonical.js'
import { conghuaXmlV1 } from './conghua-xml-v1/index.js'
import { longmenJsonV1 } from './longmen-json-v1/index.js'

export const formats: Readonly<Record<string, PartnerFormat>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, PartnerFormat>, {
    [conghuaXmlV1.id]: conghuaXmlV1,
    [longmenJsonV1.id]: longmenJsonV1,
  }),
)

/** The format with this id, or undefined; ids come from agreements, so never trust them as keys. */
export function getFormat(id: string): PartnerFormat | undefined {
  return Object.hasOwn(formats, id) ? formats[id] : undefined
}
