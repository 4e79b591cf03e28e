import { sql } from 'drizzle-orm'
import {
  customType,
  index,
  integer,
  jsonb,
  pgSequence,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core'

export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array | Buffer }>({
  dataType: () => 'bytea',
  toDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength)),
  fromDriver: (v) => (v instanceof Uint8Array ? v : new Uint8Array(v)),
})

/**
 * The evidence store: every signed message in or out, with its digest and the receipt. Unique per
 * (partner, direction, jti), which is also what makes a retried message a duplicate. Kept; only the
 * body may be dropped after the retention period.
 */
export const messages = pgTable(
  'messages',
  {
    id: text('id').primaryKey(),
    direction: text('direction', { enum: ['in', 'out'] }).notNull(),
    partnerRegion: text('partner_region').notNull(),
    jti: text('jti').notNull(),
    typ: text('typ').notNull(),
    digest: text('digest').notNull(),
    /** The compact JWS as received or last sent; null once retention has removed it. */
    jws: text('jws'),
    caseNo: text('case_no'),
    /** Receipt fields, so a duplicate can be answered with the original receipt's content. */
    receiptJws: text('receipt_jws'),
    receivedAt: timestamp('received_at', { withTimezone: true, precision: 3 }),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().default(sql`now()`),
  },
  (t) => [
    uniqueIndex('messages_partner_direction_jti_uq').on(t.partnerRegion, t.direction, t.jti),
    index('messages_created_idx').on(t.createdAt),
  ],
)

/** Single-use status-query tokens: remembered for 7 days, then purged. */
export const usedQueryTokens = pgTable(
  'used_query_tokens',
  {
    partnerRegion: text('partner_region').notNull(),
    jti: text('jti').notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('used_query_tokens_uq').on(t.partnerRegion, t.jti)],
)

export const cases = pgTable(
  'cases',
  {
    id: text('id').primaryKey(),
    /** Our case number, e.g. XF-2026-000481. */
    caseNo: text('case_no').notNull().unique(),
    direction: text('direction', { enum: ['inbound', 'outbound'] }).notNull(),
    partnerRegion: text('partner_region').notNull(),
    agreementId: text('agreement_id').notNull(),
    /** The partner's own case number (the originator's for inbound cases, the handler's for outbound). */
    partnerCaseNo: text('partner_case_no'),
    itemCode: text('item_code'),
    partnerItemCode: text('partner_item_code').notNull(),
    itemName: text('item_name').notNull(),
    departmentCode: text('department_code').notNull(),
    state: text('state').notNull(),
    applicantName: text('applicant_name').notNull(),
    /** The canonical case without file contents (those are in `materials`). */
    document: jsonb('document').notNull(),
    documentDigest: text('document_digest').notNull(),
    deliveryMethod: text('delivery_method').notNull(),
    promisedDays: integer('promised_days').notNull(),
    /** Case clock (modules/calendar/case-clock.ts), recomputed at every event. */
    clockState: text('clock_state', { enum: ['not_started', 'running', 'paused', 'ended'] })
      .notNull()
      .default('not_started'),
    promisedDate: text('promised_date'),
    /** For a paused or ended clock: whether it was already past the promised date. */
    overdueFrozen: integer('overdue_frozen').notNull().default(0),
    workingDaysUsed: integer('working_days_used'),
    receivedAt: timestamp('received_at', { withTimezone: true, precision: 3 }).notNull(),
    concludedAt: timestamp('concluded_at', { withTimezone: true, precision: 3 }),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().default(sql`now()`),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().default(sql`now()`),
  },
  (t) => [
    uniqueIndex('cases_partner_case_no_uq').on(t.partnerRegion, t.direction, t.partnerCaseNo),
    index('cases_department_inbox_idx').on(t.departmentCode, t.state, t.receivedAt),
    index('cases_state_idx').on(t.state, t.receivedAt),
    index('cases_item_idx').on(t.itemCode, t.state),
    index('cases_partner_idx').on(t.partnerRegion, t.receivedAt),
    index('cases_promised_idx').on(t.clockState, t.promisedDate),
    // Newest first without a state (the console's `all` and `outbound` tabs, the API's list):
    // without these a page sorted all of a department's cases, or all cases (1 s at a million).
    index('cases_department_received_idx').on(t.departmentCode, t.receivedAt, t.id),
    index('cases_received_idx').on(t.receivedAt, t.id),
    // Overdue first without a state: only the cases that can be overdue (cases/repository.ts
    // overdueSql: a running clock, or one that stopped late), a few percent of them, newest
    // first. A new case is in neither state, so intake never writes to it.
    index('cases_overdue_department_idx')
      .on(t.departmentCode, t.receivedAt, t.id)
      .where(sql`clock_state = 'running' or overdue_frozen = 1`),
    // The overdue count over open cases, grouped for the figures, as an index-only scan.
    index('cases_open_clock_idx')
      .on(
        t.clockState,
        t.promisedDate,
        t.overdueFrozen,
        t.partnerRegion,
        t.itemCode,
        t.departmentCode,
        t.direction,
        t.receivedAt,
      )
      .where(
        sql`state in ('submitted','received','accepted','correction_requested','correction_submitted','in_process','suspended')`,
      ),
  ],
)

export const caseEvents = pgTable(
  'case_events',
  {
    id: text('id').primaryKey(),
    caseId: text('case_id')
      .notNull()
      .references(() => cases.id),
    /** `ours`: an event the gateway sends; `theirs`: one the partner sent. */
    side: text('side', { enum: ['ours', 'theirs'] }).notNull(),
    seq: integer('seq').notNull(),
    type: text('type').notNull(),
    /** The canonical status without file contents. */
    data: jsonb('data').notNull(),
    documentDigest: text('document_digest').notNull(),
    actor: text('actor').notNull(),
    at: timestamp('at', { withTimezone: true, precision: 3 }).notNull(),
    messageId: text('message_id'),
  },
  (t) => [uniqueIndex('case_events_case_side_seq_uq').on(t.caseId, t.side, t.seq)],
)

export const materials = pgTable(
  'materials',
  {
    id: text('id').primaryKey(),
    caseId: text('case_id')
      .notNull()
      .references(() => cases.id),
    eventId: text('event_id'),
    code: text('code').notNull(),
    name: text('name').notNull(),
    original: integer('original').notNull(),
    fileName: text('file_name').notNull(),
    mediaType: text('media_type').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    content: bytea('content').notNull(),
  },
  (t) => [index('materials_case_idx').on(t.caseId)],
)

/**
 * Messages to deliver to partners, written in the same transaction as the change that caused them.
 * The payload is kept; the worker signs at send time (same jti, fresh iat), so a long outage does
 * not make a retry stale.
 */
export const outbox = pgTable(
  'outbox',
  {
    id: text('id').primaryKey(),
    partnerRegion: text('partner_region').notNull(),
    agreementId: text('agreement_id').notNull(),
    caseId: text('case_id'),
    /** Delivery order within a case: an event waits for the previous one's receipt. */
    caseSeq: integer('case_seq'),
    typ: text('typ', { enum: ['kytb-case', 'kytb-status'] }).notNull(),
    cty: text('cty', { enum: ['xml', 'json'] }).notNull(),
    /** `cases` or `status`: appended to the agreement's endpoint. */
    path: text('path').notNull(),
    jti: text('jti').notNull().unique(),
    payload: bytea('payload').notNull(),
    digest: text('digest').notNull(),
    status: text('status', { enum: ['pending', 'delivered', 'dead'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true, precision: 3 }).notNull(),
    leaseUntil: timestamp('lease_until', { withTimezone: true, precision: 3 }),
    leasedBy: text('leased_by'),
    lastError: text('last_error'),
    receiptJws: text('receipt_jws'),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true, precision: 3 }),
    /** Set when an operator re-sends a dead letter: the 24-hour retry window restarts from here. */
    resentAt: timestamp('resent_at', { withTimezone: true, precision: 3 }),
  },
  (t) => [
    index('outbox_due_idx').on(t.status, t.nextAttemptAt),
    index('outbox_case_idx').on(t.caseId, t.caseSeq),
    index('outbox_partner_idx').on(t.partnerRegion, t.status),
  ],
)

/** Our case numbers: XF-<year>-<six digits from this sequence>. */
export const caseNoSeq = pgSequence('case_no_seq', { startWith: 1 })
