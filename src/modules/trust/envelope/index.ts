/** Signed-message envelope of exchange-protocol-v1: verify what comes in, sign what goes out. */
export { payloadDigest } from './digest.js'
export { newJti } from './jti.js'
export { createKeyCache, defaultKeyCache, type KeyCache } from './key-cache.js'
export { type VerifiedQuery, type VerifyQueryTokenOptions, verifyQueryToken } from './query-token.js'
export {
  type MakeReceiptInput,
  makeReceipt,
  parseReceipt,
  type Receipt,
  type VerifiedReceipt,
  type VerifyReceiptOptions,
  verifyReceipt,
} from './receipt.js'
export {
  createSigner,
  type SignedMessage,
  type Signer,
  type SignerConfig,
  type SignInput,
  type SigningKey,
} from './sign.js'
export type * from './types.js'
export { type EnvelopeOptions, type VerifyMessageInput, verifyEnvelope, verifyMessage } from './verify.js'
