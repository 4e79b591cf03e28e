import { type AddressGuard, AddressRefused } from './address-guard.js'

/**
 * The only code that talks to partners. It posts one signed message and reports what happened,
 * keeping apart the cases the retry policy tells apart: an HTTP answer, a timeout, a network
 * error, and a destination the address guard refused (no connection made).
 */
export type DeliveryResult =
  | { kind: 'response'; status: number; headers: Headers; body: string }
  | { kind: 'timeout' | 'network' | 'refused'; message: string }

export interface DeliveryClient {
  /** `signal` aborts the attempt early (worker stopping); it then reports a network failure. */
  post(url: string, jws: string, signal?: AbortSignal): Promise<DeliveryResult>
}

export interface DeliveryClientOptions {
  /** Whole attempt: guard, connect, send, and reading the answer. */
  timeoutMs: number
  guard: AddressGuard
  fetch?: typeof globalThis.fetch
  /** A receipt is ≤ 4 KB and a problem document small: more is not read. */
  maxBodyBytes?: number
}

export function createDeliveryClient(opts: DeliveryClientOptions): DeliveryClient {
  const doFetch = opts.fetch ?? globalThis.fetch
  const maxBody = opts.maxBodyBytes ?? 64 * 1024
  return {
    async post(url, jws, stop) {
      const timeout = AbortSignal.timeout(opts.timeoutMs)
      const signal = stop ? AbortSignal.any([timeout, stop]) : timeout
      try {
        await untilAborted(opts.guard.check(new URL(url)), signal)
        const res = await doFetch(url, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/jose',
            Accept: 'application/jose, application/problem+json',
          },
          body: jws,
          // Following a redirect would re-send the signed body to wherever it points (STACK.md).
          redirect: 'manual',
          signal,
        })
        const body = await readBounded(res, maxBody)
        return { kind: 'response', status: res.status, headers: res.headers, body }
      } catch (err) {
        if (err instanceof AddressRefused) return { kind: 'refused', message: err.message }
        if (timeout.aborted) return { kind: 'timeout', message: `timeout after ${opts.timeoutMs} ms` }
        if (stop?.aborted) return { kind: 'network', message: 'aborted: worker stopping' }
        return { kind: 'network', message: networkMessage(err) }
      }
    },
  }
}

/** Rejects as soon as `signal` aborts, so a hanging DNS look-up counts against the timeout too. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason)
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort)
        resolve(v)
      },
      (e) => {
        signal.removeEventListener('abort', onAbort)
        reject(e)
      },
    )
  })
}

/** The answer's text, at most `max` bytes of it (the rest is cancelled, not buffered). */
async function readBounded(res: Response, max: number): Promise<string> {
  if (!res.body) return ''
  const reader = res.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > max) {
      await reader.cancel().catch(() => {})
      chunks.push(value.subarray(0, value.byteLength - (size - max)))
      break
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/** A short reason without URLs or bodies: the error code of the cause when there is one. */
function networkMessage(err: unknown): string {
  // fetch wraps the socket error (code in `cause`); dns.lookup's error carries its code itself.
  const e = err as { code?: unknown; cause?: { code?: unknown } }
  const code = [e?.cause?.code, e?.code].find((c): c is string => typeof c === 'string')
  if (code) return `network error: ${code}`
  if (err instanceof Error && err.name === 'TypeError' && err.message === 'fetch failed')
    return 'network error'
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err)
  return `network error: ${text.slice(0, 120)}`
}
