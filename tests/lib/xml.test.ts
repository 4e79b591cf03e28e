import { describe, expect, it } from 'vitest'
import { parseXml, renderXml } from '../../src/lib/xml.js'

const NS = 'urn:test:1'
const enc = (s: string) => new TextEncoder().encode(s)
const parse = (s: string, extra: { maxDepth?: number; maxNodes?: number } = {}) =>
  parseXml(enc(s), { namespace: NS, repeated: new Set(['M']), ...extra })
const failure = (s: string, extra = {}) => {
  const r = parse(s, extra)
  if (r.ok) throw new Error('expected a failure')
  return { code: r.code, errors: r.errors.map((e) => [e.location, e.code] as const) }
}

describe('parseXml: the tree', () => {
  it('builds names, attributes, text and paths', () => {
    const r = parse(
      `<?xml version="1.0" encoding="utf-8"?>\n<R xmlns="${NS}" a="1 &amp; 2"><A>x &lt; y</A><M/><M/><B/><B/><C><![CDATA[<raw>&]]></C></R><!-- after -->`,
    )
    if (!r.ok) throw new Error(JSON.stringify(r))
    expect(r.root.attrs).toEqual({ a: '1 & 2' })
    expect(r.root.children.map((c) => c.path)).toEqual([
      '/R/A',
      '/R/M[1]',
      '/R/M[2]',
      '/R/B',
      '/R/B[2]',
      '/R/C',
    ])
    expect(r.root.children[0]!.text).toBe('x < y')
    expect(r.root.children[5]!.text).toBe('<raw>&')
  })
  it('accepts and drops a UTF-8 byte-order mark before the declaration', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...enc(`<?xml version="1.0"?><R xmlns="${NS}"/>`)])
    expect(parseXml(bytes, { namespace: NS }).ok).toBe(true)
  })
  it('uses local names with a namespace prefix', () => {
    const r = parse(`<t:R xmlns:t="${NS}"><t:A>1</t:A></t:R>`)
    expect(r.ok && r.root.children[0]!.name).toBe('A')
  })
  it('keeps prototype names as plain data, without polluting anything', () => {
    const r = parse(
      `<R xmlns="${NS}" __proto__="p" constructor="c"><__proto__ hasOwnProperty="h"/><constructor/></R>`,
    )
    if (!r.ok) throw new Error(JSON.stringify(r))
    expect(Object.getPrototypeOf(r.root.attrs)).toBeNull()
    expect(Object.keys(r.root.attrs)).toEqual(['__proto__', 'constructor'])
    expect(r.root.children.map((c) => c.name)).toEqual(['__proto__', 'constructor'])
    expect(r.root.children[0]!.attrs.hasOwnProperty).toBe('h')
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})

describe('parseXml: refusals', () => {
  it.each([
    ['empty', '', 'payload_malformed', '/', 'empty'],
    ['second root', `<R xmlns="${NS}"/><R xmlns="${NS}"/>`, 'payload_malformed', '/', 'trailing'],
    ['trailing text', `<R xmlns="${NS}"/>x`, 'payload_malformed', '/', 'trailing'],
    [
      'duplicate attribute',
      `<R xmlns="${NS}"><A b="1" b="2"/></R>`,
      'payload_malformed',
      '/R/A/@b',
      'duplicate_attribute',
    ],
    ['unknown entity', `<R xmlns="${NS}">&nbsp;</R>`, 'payload_malformed', '/R', 'entity'],
    ['entity named __proto__', `<R xmlns="${NS}">&__proto__;</R>`, 'payload_malformed', '/R', 'entity'],
    ['NUL character reference', `<R xmlns="${NS}">&#0;</R>`, 'payload_malformed', '/R', 'entity'],
    ['< in an attribute', `<R xmlns="${NS}" a="<"/>`, 'payload_malformed', '/R/@a', 'entity'],
    ['control character', `<R xmlns="${NS}">\u0001</R>`, 'payload_malformed', '/', 'char'],
    ['late XML declaration', ` <?xml version="1.0"?><R xmlns="${NS}"/>`, 'payload_malformed', '/', 'syntax'],
    [
      'non-UTF-8 declaration',
      `<?xml version="1.0" encoding="GBK"?><R xmlns="${NS}"/>`,
      'payload_malformed',
      '/',
      'encoding',
    ],
    ['mismatched tags', `<R xmlns="${NS}"><A></B></R>`, 'payload_malformed', '/R/A', 'syntax'],
    ['DOCTYPE', `<!DOCTYPE R><R xmlns="${NS}"/>`, 'payload_invalid', '/', 'doctype'],
    ['ENTITY alone', `<!ENTITY a "b"><R xmlns="${NS}"/>`, 'payload_invalid', '/', 'doctype'],
    ['wrong namespace', '<R xmlns="urn:other"><A/></R>', 'payload_invalid', '/R', 'namespace'],
    ['foreign child', `<R xmlns="${NS}"><x:A xmlns:x="urn:x"/></R>`, 'payload_invalid', '/R/A', 'namespace'],
    [
      'prefixed attribute',
      `<R xmlns="${NS}" xmlns:x="urn:x" x:a="1"/>`,
      'payload_invalid',
      '/R/@x:a',
      'namespace',
    ],
  ])('%s', (_why, doc, code, location, errCode) => {
    const f = failure(doc)
    expect(f.code).toBe(code)
    expect(f.errors).toContainEqual([location, errCode])
  })
  it('reports a wrong namespace once, not for every inheriting descendant', () => {
    expect(failure('<R xmlns="urn:other"><A><B/></A></R>').errors).toEqual([['/R', 'namespace']])
  })
  it('refuses bytes that are not UTF-8', () => {
    const r = parseXml(new Uint8Array([0x3c, 0x52, 0xff, 0x2f, 0x3e]), { namespace: NS })
    expect(r).toMatchObject({ ok: false, code: 'payload_malformed', errors: [{ code: 'encoding' }] })
  })
  it('refuses 10,000-deep nesting from the scan, without recursing', () => {
    const deep = `<R xmlns="${NS}">${'<a>'.repeat(10_000)}${'</a>'.repeat(10_000)}</R>`
    const f = failure(deep)
    expect(f.code).toBe('payload_invalid')
    expect(f.errors[0]![1]).toBe('depth')
    expect(f.errors[0]![0].split('/')).toHaveLength(34)
  })
  it('bounds depth and element count by the options', () => {
    expect(parse(`<R xmlns="${NS}"><a><b/></a></R>`, { maxDepth: 2 }).ok).toBe(true)
    expect(failure(`<R xmlns="${NS}"><a><b><c/></b></a></R>`, { maxDepth: 2 }).errors).toEqual([
      ['/R/a/b', 'depth'],
    ])
    expect(failure(`<R xmlns="${NS}">${'<a/>'.repeat(11)}</R>`, { maxNodes: 10 }).errors[0]![1]).toBe('nodes')
  })
})

describe('renderXml', () => {
  it('writes a declaration, indentation and escaped text', () => {
    const out = renderXml(
      {
        name: 'R',
        attrs: { a: 'x"<&\n', skip: undefined },
        children: [
          { name: 'A', text: 'a & <b> ]]>' },
          undefined,
          { name: 'E' },
          { name: 'C', children: [{ name: 'D', text: '1' }] },
        ],
      },
      NS,
    )
    expect(out).toBe(
      `<?xml version="1.0" encoding="UTF-8"?>\n<R xmlns="${NS}" a="x&quot;&lt;&amp;&#10;">\n  <A>a &amp; &lt;b&gt; ]]&gt;</A>\n  <E/>\n  <C>\n    <D>1</D>\n  </C>\n</R>\n`,
    )
  })
  it('round-trips text and attributes through parseXml', () => {
    const text = 'tab\tline\nCR\r"quotes" \'apos\' <&> 中文 😀'
    const r = parseXml(
      enc(renderXml({ name: 'R', attrs: { v: text }, children: [{ name: 'T', text }] }, NS)),
      {
        namespace: NS,
      },
    )
    if (!r.ok) throw new Error(JSON.stringify(r))
    expect(r.root.attrs.v).toBe(text)
    expect(r.root.children[0]!.text).toBe(text)
  })
  it('refuses characters XML cannot carry', () => {
    expect(() => renderXml({ name: 'R', text: 'a\u0000b' }, NS)).toThrow()
    expect(() => renderXml({ name: 'R', text: 'lone \uD800 surrogate' }, NS)).toThrow()
  })
})
