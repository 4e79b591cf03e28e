import type { MiddlewareHandler } from 'hono'

/** Everything is served by the gateway itself: no CDN, no inline script. */
export const DEFAULT_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ')

/** The default policy, unless the route chose a stricter one (a partner's file is sandboxed). */
export const defaultContentSecurityPolicy: MiddlewareHandler = async (c, next) => {
  await next()
  if (!c.res.headers.has('Content-Security-Policy')) c.res.headers.set('Content-Security-Policy', DEFAULT_CSP)
}
