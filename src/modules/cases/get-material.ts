import type { Ctx } from '../../context.js'
import type { UserActor } from '../../http/auth.js'
import { AppError } from '../../lib/errors.js'
import { visibleCase } from './get-case.js'
import { findMaterial } from './repository.js'

const SAFE_MEDIA_TYPE = /^[a-z]+\/[a-z0-9][a-z0-9.+-]{0,100}$/
/** Types the console may show inline (preview); everything else is a download. */
export const PREVIEWABLE = new Set(['application/pdf', 'image/png', 'image/jpeg', 'image/gif', 'image/webp'])

export async function getMaterial({
  ctx,
  actor,
  input,
}: {
  ctx: Ctx
  actor: UserActor
  input: { caseNo: string; id: string }
}) {
  const row = await visibleCase(ctx, actor, input.caseNo)
  const material = /^[0-9a-f-]{36}$/.test(input.id) ? await findMaterial(ctx.db, row.id, input.id) : undefined
  if (!material) throw new AppError('not_found', 'No such material in this case')
  const mediaType = SAFE_MEDIA_TYPE.test(material.mediaType) ? material.mediaType : 'application/octet-stream'
  return { content: material.content, mediaType, fileName: material.fileName, sha256: material.sha256 }
}

/**
 * RFC 6266 with an ASCII fallback: a partner-supplied file name can hold quotes, slashes, CR/LF
 * or Chinese; none of it may break the header or choose a path.
 */
export function contentDisposition(kind: 'attachment' | 'inline', fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() || 'file'
  const ascii = base.replace(/[^\x20-\x7e]|["\\%;]/g, '_').slice(0, 100) || 'file'
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(base).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`
}
