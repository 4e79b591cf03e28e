/**
 * The protocol's event table (exchange-protocol-v1.md, "Case events") as one state machine,
 * serving both sides: our clerks' events and the partner's. Who may send an event comes from
 * formats/shared/event-rules.ts; which state it may come from and what it leads to, from here.
 */
import type { DeliveryMethod, EventType } from '../formats/canonical.js'
import { EVENT_RULES } from '../formats/shared/event-rules.js'

/** `submitted`: an outbound case we sent, before the handler's `received`. */
export const CASE_STATES = [
  'submitted',
  'received',
  'accepted',
  'rejected',
  'correction_requested',
  'correction_submitted',
  'in_process',
  'suspended',
  'concluded',
  'delivered',
  'withdrawn',
] as const
export type CaseState = (typeof CASE_STATES)[number]

export const FINAL_STATES: readonly CaseState[] = ['rejected', 'delivered', 'withdrawn']
export const OPEN_STATES: readonly CaseState[] = CASE_STATES.filter(
  (s) => !FINAL_STATES.includes(s) && s !== 'concluded',
)

const BEFORE_CONCLUDED: readonly CaseState[] = [
  'submitted',
  'received',
  'accepted',
  'correction_requested',
  'correction_submitted',
  'in_process',
  'suspended',
]

export const TRANSITIONS: Readonly<Record<EventType, { from: readonly CaseState[]; to: CaseState }>> = {
  received: { from: ['submitted'], to: 'received' },
  accepted: { from: ['received', 'correction_submitted'], to: 'accepted' },
  rejected: { from: ['received', 'correction_requested', 'correction_submitted'], to: 'rejected' },
  correction_requested: {
    from: ['received', 'accepted', 'in_process', 'correction_submitted'],
    to: 'correction_requested',
  },
  correction_submitted: { from: ['correction_requested'], to: 'correction_submitted' },
  in_process: { from: ['accepted', 'correction_submitted'], to: 'in_process' },
  suspended: { from: ['accepted', 'in_process'], to: 'suspended' },
  resumed: { from: ['suspended'], to: 'in_process' },
  concluded: { from: ['accepted', 'in_process'], to: 'concluded' },
  delivered: { from: ['concluded'], to: 'delivered' },
  withdrawn: { from: BEFORE_CONCLUDED, to: 'withdrawn' },
}

export type Role = 'handler' | 'originator'

/** Whether `role` may send `type` on a case delivered by `delivery`. */
export function maySend(role: Role, type: EventType, delivery: DeliveryMethod): boolean {
  const sentBy = EVENT_RULES[type].sentBy
  if (sentBy !== 'both') return sentBy === role
  // `delivered`: the handler for mail and online delivery, the originator for window pickup.
  return delivery === 'window' ? role === 'originator' : role === 'handler'
}

export type TransitionCheck = { ok: true; to: CaseState } | { ok: false; reason: string }

export function checkTransition(
  state: CaseState,
  type: EventType,
  role: Role,
  delivery: DeliveryMethod,
): TransitionCheck {
  if (!maySend(role, type, delivery)) return { ok: false, reason: `the ${role} does not send ${type}` }
  const t = TRANSITIONS[type]
  if (!t.from.includes(state)) return { ok: false, reason: `${type} is not allowed in state ${state}` }
  return { ok: true, to: t.to }
}

/** The events `role` may send now, for the console's action buttons. */
export function allowedEvents(state: CaseState, role: Role, delivery: DeliveryMethod): EventType[] {
  return (Object.keys(TRANSITIONS) as EventType[]).filter(
    (type) => checkTransition(state, type, role, delivery).ok,
  )
}

/** Our role in a case: we handle inbound cases and originate outbound ones. */
export const ourRole = (direction: 'inbound' | 'outbound'): Role =>
  direction === 'inbound' ? 'handler' : 'originator'
export const theirRole = (direction: 'inbound' | 'outbound'): Role =>
  direction === 'inbound' ? 'originator' : 'handler'
