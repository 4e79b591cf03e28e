import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll } from 'vitest'

/**
 * msw plays the partner systems. Any outbound request that no handler answers fails the test,
 * except loopback traffic to servers a test started itself. The throw alone is not enough: code
 * that catches network errors (the delivery worker retries them) would swallow it, so unhandled
 * requests are also recorded and fail the test when it ends.
 */
export const partnerNetwork = setupServer()
const unhandled: string[] = []

beforeAll(() =>
  partnerNetwork.listen({
    onUnhandledRequest(request, print) {
      const { hostname } = new URL(request.url)
      if (
        hostname === '127.0.0.1' ||
        hostname === 'localhost' ||
        hostname === '[::1]' ||
        hostname === '127.0.0.2'
      )
        return
      unhandled.push(`${request.method} ${request.url}`)
      print.error()
      throw new Error(`Unhandled outbound request in a test: ${request.method} ${request.url}`)
    },
  }),
)
afterEach(() => {
  partnerNetwork.resetHandlers()
  if (unhandled.length > 0) {
    const list = unhandled.splice(0).join(', ')
    throw new Error(`The test made outbound requests no handler answered: ${list}`)
  }
})
afterAll(() => partnerNetwork.close())
