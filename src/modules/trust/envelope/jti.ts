import { randomBytes } from 'node:crypto'

/** A fresh message id: `xf-` and 128 random bits, 25 characters within the protocol's jti alphabet. */
export function newJti(): string {
  return `xf-${randomBytes(16).toString('base64url')}`
}
