/**
 * Reading a parsed Conghua tree against a per-element spec while collecting every located error,
 * so a partner gets all its mistakes in one answer. Readings (see contracts/conghua-xml-v1/README.md):
 * children may come in any order; text and attribute values are trimmed of surrounding XML
 * whitespace; an empty required element counts as missing (`required`), an optional element
 * that is present but empty is `format` (send nothing instead), as in longmen-json-v1.
 */
import type { FieldError } from '../../../lib/errors.js'
import type { XmlElement } from '../../../lib/xml.js'

export class Errors {
  readonly list: FieldError[] = []
  add(location: string, code: string, message: string): void {
    this.list.push({ location, code, message })
  }
}

export interface ChildSpec {
  required?: boolean
  /** May occur more than once (its path always carries `[n]`). */
  repeated?: boolean
}

/** An element's children grouped by name, remembering the spec they were read against. */
export class Found extends Map<string, XmlElement[]> {
  constructor(readonly spec: Readonly<Record<string, ChildSpec>>) {
    super()
  }
}

/** Element names that may repeat, for parseXml's path convention. */
export const REPEATED = new Set(['Material', 'Field', 'Item'])

/**
 * Groups an element's children by name against `spec`, reporting unknown children, repeats of
 * a non-repeatable child, missing required children, unknown attributes and stray text.
 * `spec` is read with Object.hasOwn only, so `constructor` or `__proto__` are just unknown names.
 */
export function childrenOf(
  errors: Errors,
  el: XmlElement,
  spec: Record<string, ChildSpec>,
  attrs: readonly string[] = [],
): Found {
  checkAttributes(errors, el, attrs)
  if (el.text.trim() !== '') errors.add(el.path, 'format', `${el.name} holds elements, not text`)
  const found = new Found(spec)
  for (const child of el.children) {
    if (!Object.hasOwn(spec, child.name)) {
      errors.add(child.path, 'unknown', `unknown element ${child.name}`)
      continue
    }
    const list = found.get(child.name) ?? []
    if (list.length && !spec[child.name]!.repeated) {
      errors.add(child.path, 'duplicate', `${child.name} may appear only once`)
      continue
    }
    list.push(child)
    found.set(child.name, list)
  }
  for (const [name, s] of Object.entries(spec)) {
    if (s.required && !found.has(name)) errors.add(`${el.path}/${name}`, 'required', `${name} is required`)
  }
  return found
}

function checkAttributes(errors: Errors, el: XmlElement, allowed: readonly string[]): void {
  for (const name of Object.keys(el.attrs)) {
    if (!allowed.includes(name)) errors.add(`${el.path}/@${name}`, 'unknown', `unknown attribute ${name}`)
  }
}

/**
 * The trimmed text of a leaf element; undefined (with an error) when it is empty, unless
 * `allowEmpty`: `required` for a required element, `format` for an optional one.
 * Child elements of a leaf are reported as unknown.
 */
export function leafText(
  errors: Errors,
  el: XmlElement,
  opts: { attrs?: readonly string[]; allowEmpty?: boolean; optional?: boolean } = {},
): string | undefined {
  checkAttributes(errors, el, opts.attrs ?? [])
  for (const child of el.children) errors.add(child.path, 'unknown', `unknown element ${child.name}`)
  const text = el.text.trim()
  if (text === '' && !opts.allowEmpty) {
    if (opts.optional) errors.add(el.path, 'format', `${el.name} is empty: leave it out instead`)
    else errors.add(el.path, 'required', `${el.name} must not be empty`)
    return undefined
  }
  return text
}

/** The text of child `name` of a grouped element, or undefined when absent or empty. */
export function textOf(errors: Errors, found: Found, name: string): string | undefined {
  const el = found.get(name)?.[0]
  return el ? leafText(errors, el, { optional: !found.spec[name]?.required }) : undefined
}

/** A trimmed attribute value; a missing or empty required attribute is reported. */
export function attrOf(errors: Errors, el: XmlElement, name: string, required: boolean): string | undefined {
  const raw = Object.hasOwn(el.attrs, name) ? el.attrs[name]!.trim() : undefined
  if (raw === undefined || raw === '') {
    if (required) errors.add(`${el.path}/@${name}`, 'required', `attribute ${name} is required`)
    return undefined
  }
  return raw
}

/** Keeps `value` when `ok(value)`, else reports `code` at `location` and returns undefined. */
export function checked<T extends string>(
  errors: Errors,
  value: string | undefined,
  location: string,
  ok: (v: string) => boolean,
  code: string,
  message: string,
): T | undefined {
  if (value === undefined) return undefined
  if (ok(value)) return value as T
  errors.add(location, code, message)
  return undefined
}
