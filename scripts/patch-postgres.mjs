/**
 * Patches the PostgreSQL driver (postgres.js 3.4.9) in node_modules; run by `postinstall`.
 *
 * The bug (porsager/postgres#1208, #1154, #1066; fixes proposed in #1168 and #1209, not released):
 * when a connection closes while a transaction is open on it (a PostgreSQL restart, a failover,
 * pg_terminate_backend), postgres.js sends the transaction's ROLLBACK into the closed connection.
 * The write is deferred with setImmediate and then calls `socket.write` on the `null` socket: an
 * uncaught TypeError that kills the gateway. And a close while a small write is pending leaves
 * the write timer set, so that connection never flushes again after it reconnects.
 *
 * The patch, in both copies of connection.js (ESM and CJS):
 * - nextWrite() on a closed connection drops the buffered bytes and rejects the queries sent on
 *   it with CONNECTION_CLOSED (the caller gets a catchable error, as for any other query on a
 *   dead connection) instead of throwing from a timer; a query waiting for the reconnection
 *   (`initial`) is left alone;
 * - closed() and terminate() forget the pending write (timer and buffer), so a reconnected
 *   connection starts clean.
 *
 * Idempotent. Another version of postgres.js is left alone with a warning: check whether it
 * has the upstream fix, and adapt or remove this script.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const MARKER = 'kytb-patch: closed-socket write guard'
const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', 'postgres')

const replacements = [
  [
    `  function nextWrite(fn) {
    const x = socket.write(chunk, fn)`,
    `  function nextWrite(fn) {
    if (socket === null) { // ${MARKER}
      nextWriteTimer !== null && clearImmediate(nextWriteTimer)
      chunk = nextWriteTimer = null
      const err = Errors.connection('CONNECTION_CLOSED', options)
      query && queryError(query, err)
      while (sent.length) queryError(sent.shift(), err)
      return true
    }
    const x = socket.write(chunk, fn)`,
  ],
  [
    `    terminated = true
    if (stream || query || initial || sent.length)
      error(Errors.connection('CONNECTION_DESTROYED', options))

    clearImmediate(nextWriteTimer)
`,
    `    terminated = true
    if (stream || query || initial || sent.length)
      error(Errors.connection('CONNECTION_DESTROYED', options))

    clearImmediate(nextWriteTimer)
    chunk = nextWriteTimer = null
`,
  ],
  [
    `    incomings = null
    clearImmediate(nextWriteTimer)
    socket.removeListener('data', data)`,
    `    incomings = null
    clearImmediate(nextWriteTimer)
    chunk = nextWriteTimer = null
    socket.removeListener('data', data)`,
  ],
]

let version
try {
  version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version
} catch {
  console.warn('patch-postgres: postgres is not installed; nothing to patch')
  process.exit(0)
}
if (version !== '3.4.9') {
  console.warn(
    `patch-postgres: postgres ${version} is not 3.4.9; not patched (see scripts/patch-postgres.mjs)`,
  )
  process.exit(0)
}

for (const file of ['src/connection.js', 'cjs/src/connection.js']) {
  const path = join(root, file)
  let text = readFileSync(path, 'utf8')
  if (text.includes(MARKER)) continue
  for (const [from, to] of replacements) {
    if (!text.includes(from)) {
      console.error(`patch-postgres: ${file} does not contain the expected code; not patched`)
      process.exit(1)
    }
    text = text.replace(from, to)
  }
  writeFileSync(path, text)
  console.log(`patch-postgres: patched ${file} (postgres ${version})`)
}
