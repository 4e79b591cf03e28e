/**
 * Strict UTF-8 decoding for uploaded catalogue files. Spreadsheets on Chinese Windows save CSV
 * as GBK by default; decoding that leniently would import mojibake names, so a bad byte stops
 * the import and we say where it is.
 */
export type Utf8Result = { ok: true; text: string } | { ok: false; offset: number; line: number }

export function decodeUtf8(bytes: Uint8Array): Utf8Result {
  try {
    // `ignoreBOM: false` (the default) drops a leading UTF-8 BOM, which Excel's "CSV UTF-8" writes.
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes) }
  } catch {
    const offset = firstInvalidOffset(bytes)
    let line = 1
    for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++
    return { ok: false, offset, line }
  }
}

/**
 * Where the first ill-formed sequence starts, by the same rules as the WHATWG decoder (no
 * overlong forms, no surrogates, nothing above U+10FFFF). Only run after decoding failed.
 */
export function firstInvalidOffset(bytes: Uint8Array): number {
  let i = 0
  while (i < bytes.length) {
    const lead = bytes[i] as number
    if (lead < 0x80) {
      i++
      continue
    }
    let trailing: number
    let low = 0x80
    let high = 0xbf
    if (lead >= 0xc2 && lead <= 0xdf) trailing = 1
    else if (lead >= 0xe0 && lead <= 0xef) {
      trailing = 2
      if (lead === 0xe0) low = 0xa0
      if (lead === 0xed) high = 0x9f
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      trailing = 3
      if (lead === 0xf0) low = 0x90
      if (lead === 0xf4) high = 0x8f
    } else return i
    for (let k = 1; k <= trailing; k++) {
      const byte = bytes[i + k]
      const min = k === 1 ? low : 0x80
      const max = k === 1 ? high : 0xbf
      if (byte === undefined || byte < min || byte > max) return i
    }
    i += trailing + 1
  }
  return bytes.length
}
