/**
 * Reading a posted console form (`c.req.parseBody({ all: true })`): a field sent once is a
 * value, sent several times (repeatable rows) an array; files are `File`s.
 */
export type PostedForm = Record<string, string | File | (string | File)[]>

const all = (form: PostedForm, key: string): (string | File)[] => {
  const v = form[key]
  return v === undefined ? [] : Array.isArray(v) ? v : [v]
}

/** The first value of a field as trimmed text ('' when absent or a file). */
export function text(form: PostedForm, key: string): string {
  const v = all(form, key)[0]
  return typeof v === 'string' ? v.trim() : ''
}

/** Every value of a repeated field as trimmed text, in order. */
export function texts(form: PostedForm, key: string): string[] {
  return all(form, key).map((v) => (typeof v === 'string' ? v.trim() : ''))
}

/** Every value of a repeated file field, in order; an empty file input gives undefined. */
export function files(form: PostedForm, key: string): (File | undefined)[] {
  return all(form, key).map((v) => (typeof v !== 'string' && v.name !== '' ? v : undefined))
}

/** The first non-empty uploaded file of a field. */
export function fileOf(form: PostedForm, key: string): File | undefined {
  return all(form, key).find((v): v is File => typeof v !== 'string' && v.size > 0)
}
