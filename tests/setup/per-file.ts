import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll } from 'vitest'

/**
 * msw plays the partner systems. Any outbound request that no handler answers fails the test,
 * except loopback traffic to servers a test started itself.
 */
export const partnerNetwork = setupServer()

beforeAll(() =>
  partnerNetwork.listen({
    onUnhandledRequest(request, print) {
      const { hostname } = new URL(request.url)
      if (hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]') return
      print.error()
      throw new Error(`Unhandled outbound request in a test: ${request.method} ${request.url}`)
    },
  }),
)
afterEach(() => partnerNetwork.resetHandlers())
afterAll(() => partnerNetwork.close())
