import type { MaterialRowValue } from './clerk-rows.js'
import { files, type PostedForm, text, texts } from './form-values.js'

export { files, type PostedForm, text, texts }

/** A file as the API takes it: name, a safe media type and standard base64 content. */
export interface UploadedFile {
  name: string
  mediaType: string
  content: string
}

const MEDIA_TYPE = /^[a-z]+\/[a-z0-9][a-z0-9.+-]{0,100}$/

export async function uploadedFile(file: File): Promise<UploadedFile> {
  const type = file.type.split(';')[0]?.trim().toLowerCase() ?? ''
  return {
    name: file.name.split(/[\\/]/).pop() || 'file',
    mediaType: MEDIA_TYPE.test(type) ? type : 'application/octet-stream',
    content: Buffer.from(await file.arrayBuffer()).toString('base64'),
  }
}

/**
 * A file chosen before the form was refused rides along in a hidden field, so the clerk need
 * not choose it again (browsers never refill a file input).
 */
export function carriedFile(value: string): UploadedFile | undefined {
  if (!value) return undefined
  try {
    const v = JSON.parse(value) as Partial<UploadedFile>
    return typeof v.name === 'string' && typeof v.mediaType === 'string' && typeof v.content === 'string'
      ? {
          name: v.name,
          mediaType: MEDIA_TYPE.test(v.mediaType) ? v.mediaType : 'application/octet-stream',
          content: v.content,
        }
      : undefined
  } catch {
    return undefined
  }
}

/** A material row as posted: the API's shape, with `file` absent when none was chosen. */
export interface PostedMaterial {
  code: string
  name: string
  original: boolean
  file?: UploadedFile
}

/**
 * The material rows of a form (clerk-rows.tsx, MaterialRows): rows left entirely empty are
 * skipped, so the n-th kept row is `/materials/<n>` both in the request and on the page again.
 */
export async function readMaterialRows(
  form: PostedForm,
): Promise<{ rows: MaterialRowValue[]; materials: PostedMaterial[] }> {
  const codes = texts(form, 'materials.code')
  const names = texts(form, 'materials.name')
  const originals = texts(form, 'materials.original')
  const chosen = files(form, 'materials.file')
  const carries = texts(form, 'materials.carry')
  const rows: MaterialRowValue[] = []
  const materials: PostedMaterial[] = []
  const n = Math.max(codes.length, names.length, chosen.length, carries.length)
  for (let i = 0; i < n; i++) {
    const picked = chosen[i]
    const file = picked ? await uploadedFile(picked) : carriedFile(carries[i] ?? '')
    const code = codes[i] ?? ''
    const name = names[i] ?? ''
    if (!code && !name && !file) continue
    const original = originals[i] === '1'
    rows.push({ code, name, original: original ? '1' : '0', carry: file ? JSON.stringify(file) : '' })
    materials.push({ code, name, original, ...(file ? { file } : {}) })
  }
  return { rows, materials }
}
