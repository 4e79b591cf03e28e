/** Conghua `Materials` (in a case and in a correction_submitted status): each file checked against its content. */
import type { XmlElement } from '../../../lib/xml.js'
import type { Material } from '../canonical.js'
import { checkMaterialFile } from '../shared/material-file.js'
import { attrOf, checked, childrenOf, type Errors, leafText, textOf } from './reader.js'

const MATERIAL_SPEC = {
  Code: { required: true },
  Name: { required: true },
  Original: { required: true },
  File: { required: true },
}
const FILE_ATTRS = ['name', 'type', 'size', 'sha256'] as const

/** `Materials` with one or more `Material`, each file checked against its size and digest. */
export function materialsOf(errors: Errors, el: XmlElement): Material[] {
  const found = childrenOf(errors, el, { Material: { required: true, repeated: true } })
  const materials: Material[] = []
  for (const m of found.get('Material') ?? []) {
    const parts = childrenOf(errors, m, MATERIAL_SPEC)
    const original = checked(
      errors,
      textOf(errors, parts, 'Original'),
      `${m.path}/Original`,
      (v) => v === 'true' || v === 'false',
      'enum',
      'true or false',
    )
    const fileEl = parts.get('File')?.[0]
    const file = fileEl ? fileOf(errors, fileEl) : undefined
    materials.push({
      code: textOf(errors, parts, 'Code')!,
      name: textOf(errors, parts, 'Name')!,
      original: original === 'true',
      file: file!,
    })
  }
  return materials
}

function fileOf(errors: Errors, el: XmlElement): Material['file'] | undefined {
  // A file may be empty (0 bytes), so its text may be too.
  const content = leafText(errors, el, { attrs: FILE_ATTRS, allowEmpty: true })!
  const name = attrOf(errors, el, 'name', true)
  const mediaType = checked(
    errors,
    attrOf(errors, el, 'type', true),
    `${el.path}/@type`,
    (v) => /^[A-Za-z0-9!#$&^_.+-]+\/[A-Za-z0-9!#$&^_.+-]+$/.test(v),
    'format',
    'a media type such as application/pdf',
  )
  const sizeText = checked(
    errors,
    attrOf(errors, el, 'size', true),
    `${el.path}/@size`,
    (v) => /^(?:0|[1-9]\d{0,15})$/.test(v),
    'format',
    'a byte count',
  )
  const sha256 = checked(
    errors,
    attrOf(errors, el, 'sha256', true),
    `${el.path}/@sha256`,
    (v) => /^[0-9a-f]{64}$/.test(v),
    'format',
    '64 lower-case hex digits',
  )
  const size = sizeText === undefined ? undefined : Number(sizeText)
  // Compare only what was readable: a bad size attribute is already reported, not also a mismatch.
  const problems = checkMaterialFile({ size: size ?? -1, sha256: sha256 ?? '', content }, (f) =>
    f === 'content' ? el.path : `${el.path}/@${f}`,
  ).filter(
    (e) =>
      (e.code !== 'size_mismatch' || size !== undefined) &&
      (e.code !== 'sha256_mismatch' || sha256 !== undefined),
  )
  for (const p of problems) errors.add(p.location, p.code, p.message)
  if (name === undefined || mediaType === undefined || size === undefined || sha256 === undefined)
    return undefined
  return { name, mediaType, size, sha256, content }
}
