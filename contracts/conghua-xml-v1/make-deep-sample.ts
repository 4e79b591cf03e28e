/**
 * Writes samples/invalid/case-deep-nesting.xml: a DelegatedCase with 10,000 nested Remark
 * elements, the shape that overflows a recursive parser or tree walker. Kept as a script so the
 * sample can be regenerated and reviewed; the generated file is committed too.
 * Run: node --import tsx contracts/conghua-xml-v1/make-deep-sample.ts
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'

const DEPTH = 10_000
const doc = [
  '<?xml version="1.0" encoding="UTF-8"?>',
  `<DelegatedCase xmlns="urn:conghua:zwfw:kytb:1">${'<Remark>'.repeat(DEPTH)}x${'</Remark>'.repeat(DEPTH)}</DelegatedCase>`,
  '',
].join('\n')
writeFileSync(join(import.meta.dirname, 'samples/invalid/case-deep-nesting.xml'), doc)
