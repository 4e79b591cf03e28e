import { createHash } from 'node:crypto'

export const sha256b64url = (bytes: Uint8Array | string) =>
  createHash('sha256').update(bytes).digest('base64url')
