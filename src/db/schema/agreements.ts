import { sql } from 'drizzle-orm'
import {
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
} from 'drizzle-orm/pg-core'
import { items } from './catalog.js'

/**
 * Mutual-trust agreements (互认互信协议) with partner counties. Rows are updated in place; every
 * change also writes a full snapshot to agreement_versions, so earlier versions are kept.
 */
export const agreements = pgTable(
  'agreements',
  {
    /** a UUID, as text */
    id: text('id').primaryKey(),
    partnerRegion: text('partner_region').notNull(),
    partnerName: text('partner_name').notNull(),
    format: text('format').notNull(),
    /** the partner's base URL, https and without a trailing slash */
    endpoint: text('endpoint').notNull(),
    status: text('status', { enum: ['draft', 'active', 'suspended', 'terminated'] }).notNull(),
    /** first and last valid day, Beijing calendar, YYYY-MM-DD (inclusive) */
    validFrom: text('valid_from').notNull(),
    validUntil: text('valid_until').notNull(),
    maxPayloadBytes: integer('max_payload_bytes').notNull().default(20_971_520),
    /** number of the latest row in agreement_versions */
    version: integer('version').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull(),
  },
  (t) => [
    // The protocol trusts "the" agreement of a sender: two active ones would make that ambiguous.
    uniqueIndex('agreements_one_active_per_partner').on(t.partnerRegion).where(sql`status = 'active'`),
    index('agreements_partner_idx').on(t.partnerRegion, t.createdAt),
    check('agreements_valid_order', sql`${t.validFrom} <= ${t.validUntil}`),
  ],
)

/** The partner's public signing keys; replaced as a whole on rotation. */
export const agreementKeys = pgTable(
  'agreement_keys',
  {
    agreementId: text('agreement_id')
      .notNull()
      .references(() => agreements.id),
    kid: text('kid').notNull(),
    alg: text('alg', { enum: ['ES256', 'EdDSA'] }).notNull(),
    /** the public JWK as registered (public members, kid, alg, and nbf/exp when given) */
    jwk: jsonb('jwk').notNull(),
    notBefore: timestamp('not_before', { withTimezone: true }),
    notAfter: timestamp('not_after', { withTimezone: true }),
    /** order in the partner's JWKS, so the set reads back as it was given */
    position: integer('position').notNull(),
  },
  (t) => [primaryKey({ columns: [t.agreementId, t.kid] })],
)

/** Items covered, per direction, and the crosswalk between the partner's codes and ours. */
export const agreementItems = pgTable(
  'agreement_items',
  {
    id: text('id').primaryKey(),
    agreementId: text('agreement_id')
      .notNull()
      .references(() => agreements.id),
    direction: text('direction', { enum: ['inbound', 'outbound'] }).notNull(),
    /** the Xinfeng item (inbound only) */
    itemCode: text('item_code').references(() => items.code),
    partnerItemCode: text('partner_item_code').notNull(),
    /** the partner's item name (outbound) */
    name: text('name'),
    /** the partner's promised time limit in working days (outbound) */
    promisedDays: integer('promised_days'),
    position: integer('position').notNull(),
  },
  (t) => [
    unique('agreement_items_partner_code').on(t.agreementId, t.direction, t.partnerItemCode),
    // The catalogue's `partner` filter looks items up by code.
    index('agreement_items_item_idx').on(t.itemCode),
    check(
      'agreement_items_shape',
      sql`(${t.direction} = 'inbound' and ${t.itemCode} is not null)
        or (${t.direction} = 'outbound' and ${t.name} is not null and ${t.promisedDays} is not null)`,
    ),
  ],
)

/** Every version of every agreement, as the API showed it after each change. */
export const agreementVersions = pgTable(
  'agreement_versions',
  {
    agreementId: text('agreement_id')
      .notNull()
      .references(() => agreements.id),
    version: integer('version').notNull(),
    snapshot: jsonb('snapshot').notNull(),
    /** created | activated | suspended | terminated | keys_replaced */
    change: text('change').notNull(),
    changedBy: text('changed_by').notNull(),
    changedAt: timestamp('changed_at', { withTimezone: true, precision: 3 }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.agreementId, t.version] })],
)
