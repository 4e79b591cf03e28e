/** A form body parsed with `parseBody({ all: true })`: repeated names come as arrays. */
export type FormBody = Record<string, string | File | (string | File)[]>

const all = (form: FormBody, name: string): (string | File)[] => {
  const value = form[name]
  return value === undefined ? [] : Array.isArray(value) ? value : [value]
}

/** Every text value of a field, in document order (files are skipped). */
export const texts = (form: FormBody, name: string): string[] =>
  all(form, name).filter((v): v is string => typeof v === 'string')

/** The first text value of a field, trimmed; '' when absent. */
export const text = (form: FormBody, name: string): string => (texts(form, name)[0] ?? '').trim()

/** The first non-empty uploaded file of a field. */
export const fileOf = (form: FormBody, name: string): File | undefined =>
  all(form, name).find((v): v is File => typeof v !== 'string' && v.size > 0)
