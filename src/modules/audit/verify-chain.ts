import { compactVerify, decodeProtectedHeader, importJWK, type JWK } from 'jose'
import type { Db } from '../../db/client.js'
import type { StoredKey } from '../trust/keys/keyring.js'
import { entryHash, GENESIS_HASH } from './chain.js'
import { allCheckpoints, readEntries, readHead } from './repository.js'
import { CHECKPOINT_TYP } from './write-checkpoint.js'

export interface ChainReport {
  ok: boolean
  entries: number
  checkpoints: number
  /** The first entry (or checkpoint) that does not fit, and why. */
  firstBroken?: { seq: number; reason: string }
}

const PAGE = 2000

/** Recomputes the whole chain and checks every signed checkpoint against it. */
export async function verifyAuditChain(db: Db, publicKeys: StoredKey[]): Promise<ChainReport> {
  let prev = GENESIS_HASH
  let expectedSeq = 1
  let count = 0
  const hashes = new Map<number, string>()
  const checkpoints = await allCheckpoints(db)
  const wanted = new Set(checkpoints.map((c) => c.seq))
  const broken = (seq: number, reason: string, n = count): ChainReport => ({
    ok: false,
    entries: n,
    checkpoints: checkpoints.length,
    firstBroken: { seq, reason },
  })

  for (;;) {
    const page = await readEntries(db, expectedSeq - 1, PAGE)
    for (const e of page) {
      if (e.seq !== expectedSeq)
        return broken(expectedSeq, `entry ${expectedSeq} is missing (next is ${e.seq})`)
      if (e.prevHash !== prev) return broken(e.seq, 'previous-hash link does not match')
      const h = entryHash(prev, e)
      if (h !== e.hash) return broken(e.seq, 'content does not match its hash (modified)')
      if (wanted.has(e.seq)) hashes.set(e.seq, h)
      prev = h
      expectedSeq++
      count++
    }
    if (page.length < PAGE) break
  }

  const head = await readHead(db)
  if (head && head.seq !== count)
    return broken(count + 1, `head says ${head.seq} entries, chain has ${count}`)

  const keys = new Map(publicKeys.map((k) => [k.kid, k.publicJwk]))
  for (const cp of checkpoints) {
    const reason = await checkpointProblem(cp.jws, keys, cp.seq, cp.hash)
    if (reason) return broken(cp.seq, `checkpoint: ${reason}`)
    const h = hashes.get(cp.seq)
    if (h === undefined)
      return broken(cp.seq, `signed checkpoint at ${cp.seq} is beyond the chain's end (tail truncated)`)
    if (h !== cp.hash) return broken(cp.seq, 'signed checkpoint hash differs from the chain')
  }
  return { ok: true, entries: count, checkpoints: checkpoints.length }
}

async function checkpointProblem(jws: string, keys: Map<string, JWK>, seq: number, hash: string) {
  try {
    const { kid, typ } = decodeProtectedHeader(jws)
    const jwk = kid ? keys.get(kid) : undefined
    if (!jwk || typ !== CHECKPOINT_TYP) return 'signed by an unknown key'
    const { payload } = await compactVerify(jws, await importJWK(jwk, 'ES256'), { algorithms: ['ES256'] })
    const body = JSON.parse(new TextDecoder().decode(payload)) as { seq: number; hash: string }
    if (body.seq !== seq || body.hash !== hash) return 'row differs from its signed content'
    return undefined
  } catch {
    return 'signature does not verify'
  }
}
