import { hash } from 'node:crypto'

/** base64url without padding of SHA-256 over the bytes: the protocol's `digest`. One-shot `hash` skips the Hash object. */
export function payloadDigest(payload: Uint8Array): string {
  return hash('sha256', payload, 'base64url')
}
