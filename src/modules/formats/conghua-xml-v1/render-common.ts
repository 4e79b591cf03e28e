/** Builders for the parts of Conghua documents that the case and status renderers share. */
import type { XmlOut } from '../../../lib/xml.js'
import type { Material, Party } from '../canonical.js'
import { fromCanonical, ID_TYPE_CODES } from '../shared/code-lists.js'

/** A text leaf, left out when the value is absent or empty (the parser refuses empty elements). */
export function leaf(name: string, text: string | undefined, attrs?: XmlOut['attrs']): XmlOut | undefined {
  if (text === undefined || text === '') return undefined
  return { name, text, ...(attrs ? { attrs } : {}) }
}

export function partyOut(name: string, party: Party, kind?: 'person' | 'org'): XmlOut {
  return {
    name,
    ...(kind ? { attrs: { kind } } : {}),
    children: [
      leaf('Name', party.name),
      leaf('IdType', fromCanonical(ID_TYPE_CODES, 'conghua', party.idType)),
      leaf('IdNumber', party.idNumber),
      leaf('Mobile', party.mobile),
      leaf('Address', party.address),
    ],
  }
}

export function materialsOut(materials: Material[]): XmlOut {
  return {
    name: 'Materials',
    children: materials.map((m) => ({
      name: 'Material',
      children: [
        leaf('Code', m.code),
        leaf('Name', m.name),
        leaf('Original', String(m.original)),
        {
          name: 'File',
          attrs: {
            name: m.file.name,
            type: m.file.mediaType,
            size: String(m.file.size),
            sha256: m.file.sha256,
          },
          text: m.file.content,
        },
      ],
    })),
  }
}

export const encodeUtf8 = (s: string): Uint8Array => new TextEncoder().encode(s)
