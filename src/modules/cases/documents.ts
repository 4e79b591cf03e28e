import { createHash, randomUUID } from 'node:crypto'
import { stableStringify } from '../../lib/stable-json.js'
import type { CanonicalCase, CanonicalStatus, Material } from '../formats/canonical.js'

/** A material as stored in a document: the file's metadata and the row holding its bytes. */
export interface StoredMaterial extends Omit<Material, 'file'> {
  id: string
  file: Omit<Material['file'], 'content'>
}

export interface MaterialRowInput {
  id: string
  code: string
  name: string
  original: number
  fileName: string
  mediaType: string
  size: number
  sha256: string
  content: Uint8Array
}

/** Splits file contents out of a document's materials: metadata stays in the document, bytes go to rows. */
export function splitMaterials(list: Material[] | undefined): {
  stored: StoredMaterial[]
  rows: MaterialRowInput[]
} {
  const stored: StoredMaterial[] = []
  const rows: MaterialRowInput[] = []
  for (const m of list ?? []) {
    const id = randomUUID()
    const { content, ...file } = m.file
    stored.push({ ...m, id, file })
    rows.push({
      id,
      code: m.code,
      name: m.name,
      original: m.original ? 1 : 0,
      fileName: m.file.name,
      mediaType: m.file.mediaType,
      size: m.file.size,
      sha256: m.file.sha256,
      content: Buffer.from(content, 'base64'),
    })
  }
  return { stored, rows }
}

/**
 * What "the same content" means for idempotency: the canonical document with each file stood in
 * for by its (already verified) sha256, so re-sending the same case in another byte layout, or
 * re-signed, is recognised, and hashing never walks megabytes of base64.
 */
export function contentDigest(doc: CanonicalCase | CanonicalStatus): string {
  const materials = doc.materials?.map((m) => ({ ...m, file: { ...m.file, content: undefined } }))
  return createHash('sha256')
    .update(stableStringify({ ...doc, ...(materials ? { materials } : {}) }))
    .digest('base64url')
}
