const encoder = new TextEncoder()

/**
 * Compact JSON (no insignificant whitespace) in UTF-8: the bytes are signed and their digest is
 * the receipt's, so the smallest unambiguous form is used. Members with an undefined value are
 * omitted by JSON.stringify; member order is the object's insertion order.
 */
export function encodeJson(doc: object): Uint8Array {
  return encoder.encode(JSON.stringify(doc))
}
