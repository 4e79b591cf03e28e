import { randomBytes } from 'node:crypto'
import { jwtVerify, SignJWT } from 'jose'
import type { Db } from '../../db/client.js'
import { initSetting } from './repository.js'

const ISSUER = 'kytb-gateway'
const AUDIENCE = 'kytb-gateway-api'

/** The HMAC key for sign-in tokens, created once and shared by every instance through the database. */
export async function loadTokenKey(db: Db): Promise<Uint8Array> {
  const value = await initSetting(db, 'auth.token_key', randomBytes(32).toString('base64url'))
  return Buffer.from(value, 'base64url')
}

export async function issueToken(key: Uint8Array, sessionId: string, userId: string, expiresAt: Date) {
  return new SignJWT({ sid: sessionId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(userId)
    .setIssuedAt()
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(key)
}

/** The session id the token names, or undefined for any token we did not issue or that expired. */
export async function readToken(key: Uint8Array, token: string, now: Date): Promise<string | undefined> {
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: ['HS256'],
      issuer: ISSUER,
      audience: AUDIENCE,
      currentDate: now,
    })
    return typeof payload.sid === 'string' ? payload.sid : undefined
  } catch {
    return undefined
  }
}
