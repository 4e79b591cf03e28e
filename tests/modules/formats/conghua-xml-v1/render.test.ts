import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { CanonicalCase, CanonicalStatus } from '../../../../src/modules/formats/canonical.js'
import { conghuaXmlV1 } from '../../../../src/modules/formats/conghua-xml-v1/index.js'

const EXPECTED = join(import.meta.dirname, '../../../../contracts/conghua-xml-v1/expected')
const load = <T>(name: string): T => JSON.parse(readFileSync(join(EXPECTED, `${name}.json`), 'utf8'))
const text = (b: Uint8Array) => new TextDecoder().decode(b)

describe('conghua-xml-v1 rendering', () => {
  it('writes a status in the spec order, with StatusName from the event table', () => {
    const status = load<CanonicalStatus>('status-accepted')
    expect(text(conghuaXmlV1.renderStatus(status))).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<CaseStatus xmlns="urn:conghua:zwfw:kytb:1">',
        '  <CaseNo>CH20261128000123</CaseNo>',
        '  <PeerCaseNo>XF-2026-000481</PeerCaseNo>',
        '  <Seq>2</Seq>',
        '  <StatusCode>03</StatusCode>',
        '  <StatusName>已受理</StatusName>',
        '  <OccurredAt>2026-11-28T10:02:11+08:00</OccurredAt>',
        '  <Handler>',
        '    <Dept>新丰县民政局</Dept>',
        '    <Name>黄丽</Name>',
        '  </Handler>',
        '  <Opinion>材料齐全，予以受理</Opinion>',
        '  <PromisedDate>2026-12-10</PromisedDate>',
        '</CaseStatus>',
        '',
      ].join('\n'),
    )
  })

  it('is deterministic, whatever the order of form keys', () => {
    const c = load<CanonicalCase>('case-marriage-mail')
    const reordered = { ...c, form: Object.fromEntries(Object.entries(c.form ?? {}).reverse()) }
    expect(text(conghuaXmlV1.renderCase(reordered))).toBe(text(conghuaXmlV1.renderCase(c)))
  })

  it('escapes markup in text and attributes so it reads back unchanged', () => {
    const c = load<CanonicalCase>('case-org-business-licence')
    const tricky = { ...c, itemName: '<b>&"x"</b> ]]>', window: { code: 'a"<&>', name: "O'Brien & <Co>" } }
    const rendered = text(conghuaXmlV1.renderCase(tricky))
    expect(rendered).not.toContain('<b>')
    expect(conghuaXmlV1.parseCase(new TextEncoder().encode(rendered))).toEqual({ ok: true, value: tricky })
  })
})

describe('conghua-xml-v1 parsing', () => {
  it('reports every problem of a document at once', () => {
    const bytes = readFileSync(
      join(import.meta.dirname, '../../../../contracts/conghua-xml-v1/samples/invalid/case-many-errors.xml'),
    )
    const result = conghuaXmlV1.parseCase(bytes)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.errors.length).toBeGreaterThanOrEqual(4)
  })
})
