/**
 * JSON for the protected header: `JSON.parse`, plus the one thing it cannot do, reporting a
 * duplicate member name. The general strict parser (src/lib/strict-json.ts) does the same but
 * costs ~4 µs more per message, which alone is several percent of an ES256 verification; the
 * header is ≤ 4 KB and is parsed on every inbound message, so it gets this cheaper path.
 */

// Fatal: invalid UTF-8 is malformed. ignoreBOM keeps a BOM in the text, where JSON.parse refuses it.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

export type HeaderJson = { ok: true; value: Record<string, unknown> } | { ok: false; reason: string }

export function parseHeaderJson(bytes: Uint8Array): HeaderJson {
  let text: string
  let value: unknown
  try {
    text = utf8.decode(bytes)
    value = JSON.parse(text)
  } catch (e) {
    return { ok: false, reason: `not UTF-8 JSON: ${(e as Error).message}` }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { ok: false, reason: 'not an object' }
  const duplicate = findDuplicateMember(text)
  if (duplicate !== undefined)
    return { ok: false, reason: `duplicate member ${JSON.stringify(duplicate).slice(0, 40)}` }
  return { ok: true, value: value as Record<string, unknown> }
}

const QUOTE = 0x22
const BACKSLASH = 0x5c

/**
 * The first member name that occurs twice in one object, at any depth. Only valid JSON reaches
 * here (JSON.parse accepted it), so a scan of strings and brackets is enough: a string right
 * after `{` or after `,` inside an object is a member name. Names are compared after unescaping,
 * so `"alg"` and `"\u0061lg"` are the same member, as they are to every JSON parser.
 */
export function findDuplicateMember(json: string): string | undefined {
  // One entry per open container: the names seen so far for an object, null for an array.
  const open: Array<Set<string> | null> = []
  let nameNext = false
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i)
    if (c === QUOTE) {
      let end = i + 1
      while (json.charCodeAt(end) !== QUOTE) end += json.charCodeAt(end) === BACKSLASH ? 2 : 1
      if (nameNext) {
        const raw = json.slice(i + 1, end)
        const name = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw
        const names = open[open.length - 1]!
        if (names.has(name)) return name
        names.add(name)
        nameNext = false
      }
      i = end
    } else if (c === 0x7b /* { */) {
      open.push(new Set())
      nameNext = true
    } else if (c === 0x5b /* [ */) {
      open.push(null)
      nameNext = false
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      open.pop()
      nameNext = false
    } else if (c === 0x2c /* , */) {
      nameNext = open[open.length - 1] != null
    }
  }
  return undefined
}
