/**
 * Which optional parts each event carries, and who sends it (exchange-protocol-v1.md, "Case
 * events"), as one table. Formats check a parsed status against it and map the abstract `part`
 * to their own location (element path, JSON Pointer), so the rule is written once.
 */
import type { CanonicalStatus, EventType } from '../canonical.js'

/**
 * `required`: must be present; `optional`: may be present; `not_allowed`: refused when present;
 * `unless_approved`: required unless the result's outcome is `approved`, optional otherwise.
 */
export type PartRule = 'required' | 'optional' | 'not_allowed' | 'unless_approved'
export type StatusPart = 'reason' | 'promisedDate' | 'correction' | 'materials' | 'result'
/** `both`: `delivered` is sent by the handler for mail and online delivery, by the originator for window. */
export type EventSender = 'handler' | 'originator' | 'both'

export interface EventRule {
  sentBy: EventSender
  parts: Readonly<Record<StatusPart, PartRule>>
}

// Reason (Opinion / yj) is the free-text opinion, so every event may carry one; only the
// events the protocol lists must.
const NONE = {
  reason: 'optional',
  promisedDate: 'not_allowed',
  correction: 'not_allowed',
  materials: 'not_allowed',
  result: 'not_allowed',
} as const satisfies Record<StatusPart, PartRule>

export const EVENT_RULES: Readonly<Record<EventType, EventRule>> = {
  received: { sentBy: 'handler', parts: NONE },
  accepted: { sentBy: 'handler', parts: { ...NONE, promisedDate: 'required' } },
  rejected: { sentBy: 'handler', parts: { ...NONE, reason: 'required' } },
  correction_requested: { sentBy: 'handler', parts: { ...NONE, reason: 'required', correction: 'required' } },
  correction_submitted: { sentBy: 'originator', parts: { ...NONE, materials: 'required' } },
  in_process: { sentBy: 'handler', parts: NONE },
  suspended: { sentBy: 'handler', parts: { ...NONE, reason: 'required' } },
  resumed: { sentBy: 'handler', parts: NONE },
  // A waybill lives inside the result, so it can only appear here.
  concluded: { sentBy: 'handler', parts: { ...NONE, reason: 'unless_approved', result: 'required' } },
  delivered: { sentBy: 'both', parts: NONE },
  withdrawn: { sentBy: 'originator', parts: NONE },
}

export interface PartProblem {
  part: StatusPart
  code: 'required' | 'not_allowed'
}

const PARTS: readonly StatusPart[] = ['reason', 'promisedDate', 'correction', 'materials', 'result']

/**
 * The parts of a status that break the event table: missing where required, present where not
 * allowed. An empty list (correction, materials) or empty reason counts as absent.
 */
export function checkStatusParts(status: CanonicalStatus): PartProblem[] {
  const rule = EVENT_RULES[status.type]
  const problems: PartProblem[] = []
  for (const part of PARTS) {
    const present = isPresent(status[part])
    let need = rule.parts[part]
    if (need === 'unless_approved') need = status.result?.outcome === 'approved' ? 'optional' : 'required'
    if (need === 'required' && !present) problems.push({ part, code: 'required' })
    if (need === 'not_allowed' && present) problems.push({ part, code: 'not_allowed' })
  }
  return problems
}

/**
 * The handler's case number must be on every handler-only event: the originator needs it to
 * query. Originator events and `delivered` (either side) may omit it.
 */
export function peerCaseNoRequired(type: EventType): boolean {
  return EVENT_RULES[type].sentBy === 'handler'
}

function isPresent(v: unknown): boolean {
  if (v === undefined || v === null) return false
  if (typeof v === 'string') return v.length > 0
  if (Array.isArray(v)) return v.length > 0
  return true
}
