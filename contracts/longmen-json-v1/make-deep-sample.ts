/**
 * Writes samples/invalid/case-deep-nesting.json: a case whose `bd` nests 10,000 objects deep.
 * Generated rather than hand-written because nobody can review 10,000 braces; the output is
 * committed so the contract test needs no build step. Run: npx tsx contracts/longmen-json-v1/make-deep-sample.ts
 */
import { writeFileSync } from 'node:fs'

const DEPTH = 10_000
const head = '{"bjbh":"LM2026112800017","bd":'
const text = `${head}${'{"a":'.repeat(DEPTH)}"x"${'}'.repeat(DEPTH)}}\n`
writeFileSync(new URL('./samples/invalid/case-deep-nesting.json', import.meta.url), text)
