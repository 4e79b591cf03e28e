import { createHash } from 'node:crypto'
import type { FieldError } from '../../../lib/errors.js'

/**
 * Standard base64 (RFC 4648 §4): alphabet `A-Za-z0-9+/`, length a multiple of 4, at most two
 * `=` and only at the end. No whitespace, no URL-safe alphabet: Node's decoder would silently
 * accept and skip those, so the digest would be computed over something the sender did not mean.
 * A single character class, not a repeated group: `(?:[…]{4})*` overflows V8's regexp stack on
 * a file of a few megabytes.
 */
const BASE64_CHARS = /^[A-Za-z0-9+/]*={0,2}$/
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

export function isStandardBase64(s: string): boolean {
  if (s.length % 4 !== 0 || !BASE64_CHARS.test(s)) return false
  // A non-canonical last character (unused bits set) decodes to the same bytes as another text;
  // refuse it so one file has exactly one base64 form. Only the character before the padding
  // has unused bits (4 of them before `==`, 2 before `=`), so that is all there is to check:
  // decoding and re-encoding the whole file to compare cost two more copies of a big one.
  const padding = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0
  if (padding === 0) return true
  const last = ALPHABET.indexOf(s.charAt(s.length - padding - 1))
  return (last & (padding === 2 ? 0x0f : 0x03)) === 0
}

/** Bytes a standard base64 text decodes to, known without decoding it. */
function decodedSize(s: string): number {
  return (s.length / 4) * 3 - (s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0)
}

/** Base64 characters decoded per step when hashing: a multiple of 4, so every piece decodes alone. */
const HASH_CHUNK_CHARS = 1 << 20

export interface MaterialFileInput {
  size: number
  sha256: string
  content: string
}

/**
 * Checks that a material file's declared size and digest match its content. Returns every
 * problem found, located by the caller's `location` callback (element path or JSON Pointer).
 * With bad base64 the size and digest are not compared: there are no bytes to compare.
 * The content is hashed a megabyte at a time, never decoded whole: a 20 MiB case's files
 * would otherwise be decoded here only to be thrown away (cases/documents.ts decodes them
 * once, for storage).
 */
export function checkMaterialFile(
  file: MaterialFileInput,
  location: (field: 'size' | 'sha256' | 'content') => string,
): FieldError[] {
  if (!isStandardBase64(file.content)) {
    return [{ location: location('content'), code: 'base64', message: 'content is not standard base64' }]
  }
  const size = decodedSize(file.content)
  const errors: FieldError[] = []
  if (size !== file.size) {
    errors.push({
      location: location('size'),
      code: 'size_mismatch',
      message: `size ${file.size} does not match the ${size} decoded bytes`,
    })
  }
  const hash = createHash('sha256')
  for (let i = 0; i < file.content.length; i += HASH_CHUNK_CHARS) {
    hash.update(Buffer.from(file.content.slice(i, i + HASH_CHUNK_CHARS), 'base64'))
  }
  if (hash.digest('hex') !== file.sha256) {
    errors.push({
      location: location('sha256'),
      code: 'sha256_mismatch',
      message: 'sha256 does not match the decoded content',
    })
  }
  return errors
}
