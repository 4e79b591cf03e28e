/**
 * `cl[]` materials: the same shape in the case document and in a `BZTJ` status, so read and
 * written once here.
 */
import { joinPointer } from '../../../lib/strict-json.js'
import type { Material } from '../canonical.js'
import { checkMaterialFile } from '../shared/material-file.js'
import type { Reader } from './reader.js'

const MATERIAL_FIELDS = ['clbm', 'clmc', 'yj', 'wj'] as const
const FILE_FIELDS = ['mc', 'lx', 'dx', 'sha256', 'nr'] as const
const ORIGINAL = new Map([
  ['1', true],
  ['0', false],
])
// RFC 6838 type/subtype, no parameters: a file's media type, not a Content-Type header.
const MEDIA_TYPE = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$/
const SHA256_HEX = /^[0-9a-f]{64}$/

export function readMaterial(r: Reader, value: unknown, path: string): Material | undefined {
  const m = r.record(value, path, MATERIAL_FIELDS)
  if (!m) return undefined
  const code = r.text(m, path, 'clbm')
  const name = r.text(m, path, 'clmc')
  const original = r.code(m, path, 'yj', ORIGINAL)
  const filePath = joinPointer(path, 'wj')
  const w = r.member(m, path, 'wj', true) === undefined ? undefined : r.record(m.wj, filePath, FILE_FIELDS)
  if (!w) return undefined
  const fileName = r.text(w, filePath, 'mc')
  const mediaType = r.matching(w, filePath, 'lx', (s) => MEDIA_TYPE.test(s))
  const size = r.integer(w, filePath, 'dx', 0)
  const sha256 = r.matching(w, filePath, 'sha256', (s) => SHA256_HEX.test(s))
  const content = r.string(w, filePath, 'nr')
  if (content !== undefined) {
    const problems = checkMaterialFile({ size: size ?? Number.NaN, sha256: sha256 ?? '', content }, (field) =>
      joinPointer(filePath, field === 'size' ? 'dx' : field === 'sha256' ? 'sha256' : 'nr'),
    )
    // A declared value that is itself malformed is already reported; comparing it adds noise.
    for (const p of problems) {
      if (p.code === 'size_mismatch' && size === undefined) continue
      if (p.code === 'sha256_mismatch' && sha256 === undefined) continue
      r.errors.push(p)
    }
  }
  if ([code, name, original, fileName, mediaType, size, sha256, content].includes(undefined)) return undefined
  return {
    code: code!,
    name: name!,
    original: original!,
    file: { name: fileName!, mediaType: mediaType!, size: size!, sha256: sha256!, content: content! },
  }
}

export function readMaterials(r: Reader, doc: Record<string, unknown>, path: string, required: boolean) {
  return r.list(doc, path, 'cl', required, (v, at) => readMaterial(r, v, at))
}

/** Key order as in longmen-json-v1.md. */
export function renderMaterial(m: Material) {
  return {
    clbm: m.code,
    clmc: m.name,
    yj: m.original ? '1' : '0',
    wj: { mc: m.file.name, lx: m.file.mediaType, dx: m.file.size, sha256: m.file.sha256, nr: m.file.content },
  }
}
