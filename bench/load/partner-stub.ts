/**
 * A minimal partner for the delivery pass, in its own process: it answers every POST under
 * /v1/exchange/ at once with a valid signed receipt (ref = the message's jti, digest = SHA-256
 * of its payload), signed with the partner key its agreement registers. Unlike the simulator
 * (src/simulator) it keeps no state file and does not verify the gateway's signature: it is
 * there to measure the gateway's side of delivery, not its own.
 * GET /stats: how many receipts it gave, and when the first and the latest were given.
 *
 * Input: BENCH_STUB = {"port": n, "partners": [{"region", "kid", "privateJwk"}]}.
 */
import http from 'node:http'
import { type CryptoKey, importJWK, type JWK } from 'jose'
import {
  createSigner,
  makeReceipt,
  payloadDigest,
  type Signer,
} from '../../src/modules/trust/envelope/index.js'

interface StubSpec {
  port: number
  partners: { region: string; kid: string; privateJwk: JWK }[]
}

const spec = JSON.parse(process.env.BENCH_STUB ?? '{}') as StubSpec
const signers = new Map<string, Signer>()
for (const p of spec.partners) {
  const privateKey = (await importJWK(p.privateJwk, 'ES256')) as CryptoKey
  signers.set(
    p.region,
    createSigner({ ownRegion: p.region, keys: { current: { kid: p.kid, privateKey, alg: 'ES256' } } }),
  )
}

let count = 0
let firstAt = 0
let lastAt = 0

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/stats') {
    res.writeHead(200, { 'Content-Type': 'application/json' })
    res.end(JSON.stringify({ count, firstAt, lastAt }))
    return
  }
  const chunks: Buffer[] = []
  req.on('data', (c: Buffer) => chunks.push(c))
  req.on('end', async () => {
    try {
      const jws = Buffer.concat(chunks).toString('latin1')
      const [h, p] = jws.split('.')
      const header = JSON.parse(Buffer.from(h ?? '', 'base64url').toString()) as { jti: string; aud: string }
      const payload = Buffer.from(p ?? '', 'base64url')
      const signer = signers.get(header.aud)
      if (!signer) throw new Error(`no partner ${header.aud}`)
      const now = new Date()
      const receipt = makeReceipt({
        ref: header.jti,
        digest: payloadDigest(payload),
        receivedAt: now,
        outcome: 'accepted',
        caseNo: `STUB-${header.aud}-${count + 1}`,
      })
      const signed = await signer.sign({
        typ: 'kytb-receipt',
        cty: 'json',
        aud: '440233',
        payload: receipt,
        now,
      })
      res.writeHead(201, { 'Content-Type': 'application/jose' })
      res.end(signed.jws)
      count++
      lastAt = Date.now()
      if (count === 1) firstAt = lastAt
    } catch (err) {
      res.writeHead(400, { 'Content-Type': 'text/plain' })
      res.end(String(err))
    }
  })
})
server.keepAliveTimeout = 30_000
server.listen(spec.port, '127.0.0.1', () => process.stdout.write(`listening ${spec.port}\n`))
process.on('SIGTERM', () => {
  server.close()
  server.closeAllConnections()
  process.exit(0)
})
