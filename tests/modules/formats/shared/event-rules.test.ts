import { describe, expect, it } from 'vitest'
import { type CanonicalStatus, EVENT_TYPES } from '../../../../src/modules/formats/canonical.js'
import {
  checkStatusParts,
  EVENT_RULES,
  peerCaseNoRequired,
} from '../../../../src/modules/formats/shared/event-rules.js'

const base: CanonicalStatus = {
  caseNo: 'CH1',
  peerCaseNo: 'XF-1',
  seq: 1,
  type: 'received',
  occurredAt: '2026-11-28T10:00:00+08:00',
}
const file = { name: 'a.txt', mediaType: 'text/plain', size: 1, sha256: '0'.repeat(64), content: 'QQ==' }

describe('checkStatusParts', () => {
  it('accepts minimal valid events of every type', () => {
    const extra: Partial<Record<string, Partial<CanonicalStatus>>> = {
      accepted: { promisedDate: '2026-12-10' },
      rejected: { reason: 'r' },
      correction_requested: { reason: 'r', correction: [{ code: 'M1', name: 'n' }] },
      correction_submitted: { materials: [{ code: 'M1', name: 'n', original: false, file }] },
      suspended: { reason: 'r' },
      concluded: { result: { outcome: 'approved' } },
    }
    for (const type of EVENT_TYPES) {
      expect(checkStatusParts({ ...base, type, ...extra[type] }), type).toEqual([])
    }
  })
  it('allows a reason on every event', () => {
    for (const type of EVENT_TYPES) {
      const problems = checkStatusParts({ ...base, type, reason: 'opinion' })
      expect(
        problems.filter((p) => p.part === 'reason'),
        type,
      ).toEqual([])
    }
  })
  it('reports required parts', () => {
    expect(checkStatusParts({ ...base, type: 'accepted' })).toEqual([
      { part: 'promisedDate', code: 'required' },
    ])
    expect(checkStatusParts({ ...base, type: 'correction_requested' })).toEqual([
      { part: 'reason', code: 'required' },
      { part: 'correction', code: 'required' },
    ])
    expect(checkStatusParts({ ...base, type: 'correction_submitted', materials: [] })).toEqual([
      { part: 'materials', code: 'required' },
    ])
    expect(checkStatusParts({ ...base, type: 'concluded' })).toEqual([
      { part: 'reason', code: 'required' },
      { part: 'result', code: 'required' },
    ])
  })
  it('requires a reason on a non-approved conclusion only', () => {
    expect(checkStatusParts({ ...base, type: 'concluded', result: { outcome: 'denied' } })).toEqual([
      { part: 'reason', code: 'required' },
    ])
    expect(checkStatusParts({ ...base, type: 'concluded', result: { outcome: 'approved' } })).toEqual([])
  })
  it('reports parts that the event does not allow', () => {
    expect(
      checkStatusParts({
        ...base,
        type: 'accepted',
        promisedDate: '2026-12-10',
        result: { outcome: 'approved' },
      }),
    ).toEqual([{ part: 'result', code: 'not_allowed' }])
    expect(checkStatusParts({ ...base, type: 'received', promisedDate: '2026-12-10' })).toEqual([
      { part: 'promisedDate', code: 'not_allowed' },
    ])
  })
})

describe('senders', () => {
  it('follows the protocol table', () => {
    expect(EVENT_RULES.correction_submitted.sentBy).toBe('originator')
    expect(EVENT_RULES.withdrawn.sentBy).toBe('originator')
    expect(EVENT_RULES.delivered.sentBy).toBe('both')
    expect(peerCaseNoRequired('accepted')).toBe(true)
    expect(peerCaseNoRequired('delivered')).toBe(false)
    expect(peerCaseNoRequired('withdrawn')).toBe(false)
  })
})
