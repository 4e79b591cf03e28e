/** The partner simulator: a county that speaks exchange-protocol-v1 to the gateway (see README.md). */
export { type AgreementRequest, agreementRequest, localEndpoint } from './agreement.js'
export { addWorkingDays, autoHandle } from './auto-handle.js'
export { caseFromSample, generatedCase, newCaseNo, sampleBytes } from './cases.js'
export type { Print } from './describe.js'
export { openPartner, type PartnerEnv, type PartnerOptions } from './env.js'
export { createGatewayTrust, type GatewayTrust } from './gateway-trust.js'
export { randomPerson, residentIdCheckChar } from './identity.js'
export { loadOrCreatePartnerKey, type PartnerKey, partnerKeyPath } from './keys.js'
export {
  ORIGINATOR_EVENTS,
  type OriginatorEvent,
  queryCase,
  sendOriginatorEvent,
  submitCase,
} from './originator.js'
export { GATEWAY_REGION, isPartnerName, PARTNER_NAMES, PARTNERS, type PartnerName } from './partners.js'
export { type Delivered, GatewayRefusal, sendToGateway } from './send.js'
export { type Simulator, type SimulatorModes, type SimulatorOptions, startSimulator } from './server.js'
