import { createHash } from 'node:crypto'
import { AppError, type FieldError } from '../../lib/errors.js'
import type { Material } from '../formats/canonical.js'
import { isStandardBase64 } from '../formats/shared/material-file.js'

/** A material as the API takes it: the gateway computes size and sha256 itself. */
export interface ApiMaterial {
  code: string
  name: string
  original: boolean
  file: { name: string; mediaType: string; content: string }
}

export function materialsFromApi(list: ApiMaterial[], pointer: string): Material[] {
  const errors: FieldError[] = []
  const out = list.map((m, i) => {
    if (!isStandardBase64(m.file.content)) {
      errors.push({
        location: `${pointer}/${i}/file/content`,
        code: 'base64',
        message: 'not standard base64',
      })
    }
    const bytes = Buffer.from(m.file.content, 'base64')
    return {
      code: m.code,
      name: m.name,
      original: m.original,
      file: {
        name: m.file.name,
        mediaType: m.file.mediaType,
        size: bytes.byteLength,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        content: m.file.content,
      },
    }
  })
  if (errors.length > 0)
    throw new AppError('validation_failed', 'A material file is not valid base64', { errors })
  return out
}
