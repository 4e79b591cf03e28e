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

export function isStandardBase64(s: string): boolean {
  if (s.length % 4 !== 0 || !BASE64_CHARS.test(s)) return false
  // A non-canonical last character (unused bits set) decodes to the same bytes as another text;
  // refuse it so one file has exactly one base64 form.
  return Buffer.from(s, 'base64').toString('base64') === s
}

export interface MaterialFileInput {
  size: number
  sha256: string
  content: string
}

/**
 * Checks that a material file's declared size and digest match its content. Returns every
 * problem found, located by the caller's `location` callback (element path or JSON Pointer).
 * With bad base64 the size and digest are not compared: there are no bytes to compare.
 */
export function checkMaterialFile(
  file: MaterialFileInput,
  location: (field: 'size' | 'sha256' | 'content') => string,
): FieldError[] {
  if (!isStandardBase64(file.content)) {
    return [{ location: location('content'), code: 'base64', message: 'content is not standard base64' }]
  }
  const bytes = Buffer.from(file.content, 'base64')
  const errors: FieldError[] = []
  if (bytes.length !== file.size) {
    errors.push({
      location: location('size'),
      code: 'size_mismatch',
      message: `size ${file.size} does not match the ${bytes.length} decoded bytes`,
    })
  }
  const digest = createHash('sha256').update(bytes).digest('hex')
  if (digest !== file.sha256) {
    errors.push({
      location: location('sha256'),
      code: 'sha256_mismatch',
      message: 'sha256 does not match the decoded content',
    })
  }
  return errors
}
