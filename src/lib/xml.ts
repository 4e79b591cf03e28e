/**
 * The one hardened XML module: every parser option and every defence lives here, so no other
 * file touches an XML parser (after node-saml's src/xml.ts).
 *
 * Why sax directly and not xml2js: xml2js builds objects keyed by element and attribute names
 * (an element named `__proto__` yields a live `Object.prototype`), reports nothing once the
 * root has closed (a second root or trailing junk pass silently), keeps the first of duplicate
 * attributes, and makes one child an object but two an array. Its tokenizer, sax, is sound in
 * strict mode, so we drive sax ourselves and build a small tree from arrays and null-prototype
 * records, iteratively. sax is xml2js's own dependency (pinned by `overrides` in package.json);
 * resolving it from xml2js's location works whether npm hoists it or not.
 *
 * Defence order: strict UTF-8 decode → refuse DOCTYPE/ENTITY → one linear scan of the raw text
 * that bounds depth and element count and checks what sax lets through (duplicate attributes,
 * entity references beyond the five predefined and character references, misplaced XML
 * declarations, non-UTF-8 declared encodings, illegal characters) → sax strict parse.
 *
 * Element paths (error locations): `/Root/Child/@attr`; an element whose name is in
 * `repeated` always carries its 1-based position among same-named siblings (`Material[1]`),
 * any other element only from its second occurrence on (`Remark`, then `Remark[2]`).
 */
import { createRequire } from 'node:module'
import type { FieldError } from './errors.js'

export interface XmlElement {
  /** Local name, without prefix. */
  name: string
  /** Unprefixed attributes only; a null-prototype record, so any name is just a key. */
  attrs: Record<string, string>
  children: XmlElement[]
  /** Direct character data and CDATA of this element, entities decoded, not trimmed. */
  text: string
  /** Element path, used as the error location. */
  path: string
}

export interface ParseXmlOptions {
  /** Namespace URI every element must be in. */
  namespace: string
  maxDepth?: number
  maxNodes?: number
  /** Names of elements that may repeat: they always carry `[n]` in their path. */
  repeated?: ReadonlySet<string>
}

export type XmlParseResult =
  | { ok: true; root: XmlElement }
  | { ok: false; code: 'payload_malformed' | 'payload_invalid'; errors: FieldError[] }

// Only what we use of sax's API (it ships no types).
interface SaxAttribute {
  name: string
  value: string
  prefix: string
  local: string
  uri: string
}
interface SaxTag {
  name: string
  local: string
  uri: string
  isSelfClosing: boolean
}
interface SaxParser {
  onerror: (e: Error) => void
  onopentag: (tag: SaxTag) => void
  onattribute: (attr: SaxAttribute) => void
  onclosetag: () => void
  ontext: (t: string) => void
  oncdata: (t: string) => void
  write(s: string): SaxParser
  close(): SaxParser
}
const requireFromXml2js = createRequire(createRequire(import.meta.url).resolve('xml2js'))
const sax = requireFromXml2js('sax') as {
  parser(strict: boolean, opt: Record<string, boolean>): SaxParser
}

const SAX_OPTIONS = { xmlns: true, strictEntities: true, trim: false, normalize: false, position: true }
const NO_REPEATS: ReadonlySet<string> = new Set()

const fail = (
  code: 'payload_malformed' | 'payload_invalid',
  location: string,
  errCode: string,
  message: string,
): XmlParseResult => ({ ok: false, code, errors: [{ location, code: errCode, message }] })

export function parseXml(bytes: Uint8Array, opts: ParseXmlOptions): XmlParseResult {
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return fail('payload_malformed', '/', 'encoding', 'document is not valid UTF-8')
  }
  if (text.trim() === '') return fail('payload_malformed', '/', 'empty', 'document is empty')
  // Before anything parses: no DTD means no entity expansion, external fetch or billion laughs.
  if (/<!(?:DOCTYPE|ENTITY)/i.test(text)) {
    return fail('payload_invalid', '/', 'doctype', 'DTDs and entity declarations are not allowed')
  }
  const scanned = scan(text, opts.maxDepth ?? 32, opts.maxNodes ?? 20000, opts.repeated ?? NO_REPEATS)
  if (scanned) return scanned
  return build(text, opts.namespace, opts.repeated ?? NO_REPEATS)
}

function childPath(
  parentPath: string,
  counts: Map<string, number>,
  local: string,
  repeated: ReadonlySet<string>,
) {
  const n = (counts.get(local) ?? 0) + 1
  counts.set(local, n)
  return `${parentPath}/${local}${repeated.has(local) || n > 1 ? `[${n}]` : ''}`
}

const localOf = (qname: string) => qname.slice(qname.indexOf(':') + 1)
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding the characters XML forbids is the point
const ILLEGAL_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/
const BAD_REFERENCE = /&(?!(?:lt|gt|amp|quot|apos|#[0-9]+|#x[0-9A-Fa-f]+);)/
const CHAR_REFERENCE = /&#(x?)([0-9A-Fa-f]+);/g

function badReferences(s: string): boolean {
  if (BAD_REFERENCE.test(s)) return true
  for (const m of s.matchAll(CHAR_REFERENCE)) {
    const cp = Number.parseInt(m[2]!, m[1] ? 16 : 10)
    const legal =
      cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd)
    if (!legal && !(cp >= 0x10000 && cp <= 0x10ffff)) return true
  }
  return false
}

/**
 * One pass over the raw text, without recursion, that stops at the first limit crossed: a
 * 10,000-deep document is refused after 33 tags. Returns a failure, or undefined to go on.
 */
function scan(text: string, maxDepth: number, maxNodes: number, repeated: ReadonlySet<string>) {
  if (ILLEGAL_CHAR.test(text))
    return fail('payload_malformed', '/', 'char', 'document contains illegal characters')
  const stack: { path: string; counts: Map<string, number> }[] = []
  const top = () => stack[stack.length - 1]
  const rootCounts = new Map<string, number>()
  const here = () => top()?.path ?? '/'
  const malformed = (msg: string) => fail('payload_malformed', here(), 'syntax', msg)
  let nodes = 0
  let i = 0
  for (;;) {
    const lt = text.indexOf('<', i)
    if (badReferences(text.slice(i, lt === -1 ? text.length : lt))) {
      return fail('payload_malformed', here(), 'entity', 'unknown or illegal entity or character reference')
    }
    if (lt === -1) return undefined
    if (text.startsWith('<!--', lt)) {
      const end = text.indexOf('-->', lt + 4)
      if (end === -1) return malformed('unterminated comment')
      i = end + 3
    } else if (text.startsWith('<![CDATA[', lt)) {
      const end = text.indexOf(']]>', lt + 9)
      if (end === -1) return malformed('unterminated CDATA section')
      i = end + 3
    } else if (text.startsWith('<?', lt)) {
      const end = text.indexOf('?>', lt + 2)
      if (end === -1) return malformed('unterminated processing instruction')
      const pi = text.slice(lt + 2, end)
      if (/^xml(?:\s|$)/i.test(pi)) {
        if (lt !== 0) return malformed('the XML declaration must come first')
        const enc = /\sencoding\s*=\s*["']([^"']*)["']/.exec(pi)?.[1]
        if (enc !== undefined && enc.toLowerCase() !== 'utf-8') {
          return fail('payload_malformed', '/', 'encoding', `declared encoding ${enc} is not UTF-8`)
        }
      }
      i = end + 2
    } else if (text.startsWith('<!', lt)) {
      return malformed('unexpected markup declaration')
    } else if (text.startsWith('</', lt)) {
      const end = text.indexOf('>', lt)
      if (end === -1) return malformed('unterminated end tag')
      stack.pop()
      i = end + 1
    } else {
      const tag = readStartTag(text, lt)
      if (typeof tag === 'string') return malformed(tag)
      if (++nodes > maxNodes)
        return fail('payload_invalid', here(), 'nodes', `more than ${maxNodes} elements`)
      const path = childPath(
        here() === '/' ? '' : here(),
        top()?.counts ?? rootCounts,
        localOf(tag.name),
        repeated,
      )
      if (tag.duplicate !== undefined) {
        return fail(
          'payload_malformed',
          `${path}/@${tag.duplicate}`,
          'duplicate_attribute',
          'attribute repeated',
        )
      }
      if (tag.badValue !== undefined) {
        return fail('payload_malformed', `${path}/@${tag.badValue}`, 'entity', 'illegal attribute value')
      }
      if (!tag.selfClosing) {
        stack.push({ path, counts: new Map() })
        if (stack.length > maxDepth) {
          return fail('payload_invalid', path, 'depth', `elements nested deeper than ${maxDepth}`)
        }
      }
      i = tag.end
    }
  }
}

interface StartTag {
  name: string
  end: number
  selfClosing: boolean
  duplicate?: string
  badValue?: string
}

/** Reads `<name a="v" …>` from `lt`; returns a message when it is not a start tag at all. */
function readStartTag(text: string, lt: number): StartTag | string {
  const nameMatch = /^[^\s/>=<"']+/.exec(text.slice(lt + 1, lt + 1 + 1024))
  if (!nameMatch) return 'invalid start tag'
  const tag: StartTag = { name: nameMatch[0], end: 0, selfClosing: false }
  const seen = new Set<string>()
  let i = lt + 1 + nameMatch[0].length
  const attr = /\s*(?:(\/?>)|([^\s/>=<"']+)\s*=\s*(?:"([^"]*)"|'([^']*)'))/y
  for (;;) {
    attr.lastIndex = i
    const m = attr.exec(text)
    if (!m) return `invalid start tag <${tag.name}>`
    i = attr.lastIndex
    if (m[1]) {
      tag.selfClosing = m[1] === '/>'
      tag.end = i
      return tag
    }
    const name = m[2]!
    const value = m[3] ?? m[4] ?? ''
    if (seen.has(name) && tag.duplicate === undefined) tag.duplicate = name
    seen.add(name)
    if ((value.includes('<') || badReferences(value)) && tag.badValue === undefined) tag.badValue = name
  }
}

/** The sax pass: builds the tree, checks namespaces, refuses a second root. */
function build(text: string, namespace: string, repeated: ReadonlySet<string>): XmlParseResult {
  const parser = sax.parser(true, SAX_OPTIONS)
  const stack: { el: XmlElement; counts: Map<string, number>; nsOk: boolean }[] = []
  const rootCounts = new Map<string, number>()
  const invalid: FieldError[] = []
  let pendingAttrs: SaxAttribute[] = []
  let root: XmlElement | undefined
  let malformed: FieldError | undefined
  const here = () => stack[stack.length - 1]?.el.path ?? '/'

  parser.onerror = (e) => {
    const message = e.message.split('\n')[0] ?? 'not well-formed'
    // sax reports text after the root only this way; name it, partners will ask what was wrong.
    const code = message.startsWith('Text data outside of root node') ? 'trailing' : 'syntax'
    malformed ??= { location: here(), code, message }
    throw e
  }
  parser.onattribute = (a) => {
    pendingAttrs.push(a)
  }
  parser.onopentag = (tag) => {
    const parent = stack[stack.length - 1]
    if (!parent && root) {
      malformed ??= { location: '/', code: 'trailing', message: 'more than one root element' }
      throw new Error('second root')
    }
    const path = childPath(parent ? parent.el.path : '', parent?.counts ?? rootCounts, tag.local, repeated)
    const el: XmlElement = { name: tag.local, attrs: Object.create(null), children: [], text: '', path }
    const nsOk = tag.uri === namespace
    // Report where the namespace goes wrong, not again for each descendant that inherits it.
    if (!nsOk && (parent?.nsOk ?? true)) {
      invalid.push({ location: path, code: 'namespace', message: `element is not in namespace ${namespace}` })
    }
    for (const a of pendingAttrs) {
      if (a.name === 'xmlns' || a.prefix === 'xmlns') continue
      if (a.prefix) {
        invalid.push({ location: `${path}/@${a.name}`, code: 'namespace', message: 'namespaced attribute' })
        continue
      }
      el.attrs[a.name] = a.value
    }
    pendingAttrs = []
    if (parent) parent.el.children.push(el)
    else root = el
    stack.push({ el, counts: new Map(), nsOk })
  }
  parser.onclosetag = () => {
    stack.pop()
  }
  parser.ontext = parser.oncdata = (t) => {
    const current = stack[stack.length - 1]
    if (current) current.el.text += t
  }

  try {
    parser.write(text).close()
  } catch (e) {
    malformed ??= {
      location: here(),
      code: 'syntax',
      message: e instanceof Error ? e.message : 'not well-formed',
    }
  }
  if (malformed) return { ok: false, code: 'payload_malformed', errors: [malformed] }
  if (!root) return fail('payload_malformed', '/', 'syntax', 'no root element')
  if (invalid.length) return { ok: false, code: 'payload_invalid', errors: invalid }
  return { ok: true, root }
}

/** A node to render: text-only leaf, or element with children (mixed content is not written). */
export interface XmlOut {
  name: string
  /** Written in insertion order; undefined values are left out. */
  attrs?: Record<string, string | undefined>
  text?: string
  /** Undefined entries are left out, so optional parts can be written inline. */
  children?: (XmlOut | undefined)[]
}

/**
 * Renders a document deterministically: XML declaration, the namespace on the root, 2-space
 * indentation, one element per line, text escaped. Throws on characters XML cannot carry:
 * rendering our own data, that is a bug to surface, not a document to send.
 */
export function renderXml(root: XmlOut, namespace: string): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>']
  const todo: { node: XmlOut | string; depth: number; ns?: string }[] = [
    { node: root, depth: 0, ns: namespace },
  ]
  while (todo.length) {
    const { node, depth, ns } = todo.pop()!
    const indent = '  '.repeat(depth)
    if (typeof node === 'string') {
      lines.push(indent + node)
      continue
    }
    const attrs = Object.entries({ ...(ns === undefined ? {} : { xmlns: ns }), ...node.attrs })
      .filter((e): e is [string, string] => e[1] !== undefined)
      .map(([k, v]) => ` ${k}="${escapeXml(v, true)}"`)
      .join('')
    const children = (node.children ?? []).filter((c): c is XmlOut => c !== undefined)
    if (children.length) {
      lines.push(`${indent}<${node.name}${attrs}>`)
      todo.push({ node: `</${node.name}>`, depth })
      for (let k = children.length - 1; k >= 0; k--) todo.push({ node: children[k]!, depth: depth + 1 })
    } else if (node.text) {
      lines.push(`${indent}<${node.name}${attrs}>${escapeXml(node.text, false)}</${node.name}>`)
    } else {
      lines.push(`${indent}<${node.name}${attrs}/>`)
    }
  }
  return `${lines.join('\n')}\n`
}

/** Escapes text or an attribute value; CR (and in attributes TAB/LF) as references, so they survive. */
export function escapeXml(s: string, attribute: boolean): string {
  if (ILLEGAL_CHAR.test(s) || /[\uD800-\uDFFF]/.test(s.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, ''))) {
    throw new Error('text contains characters that XML cannot represent')
  }
  let out = s
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('\r', '&#13;')
  if (attribute) out = out.replaceAll('"', '&quot;').replaceAll('\t', '&#9;').replaceAll('\n', '&#10;')
  return out
}
