import type { WorkingCalendar } from '../calendar/working-calendar.js'
import type { Applicant, Delivery, Party } from '../formats/canonical.js'
import type { CaseRow } from './repository.js'

/** What a case's clock means today: working days left and whether it is late. */
export function clockView(row: CaseRow, today: string, calendar: WorkingCalendar) {
  const overdue =
    row.overdueFrozen === 1 ||
    (row.clockState === 'running' && !!row.promisedDate && row.promisedDate < today)
  const workingDaysLeft =
    row.clockState === 'running' && row.promisedDate
      ? Math.max(0, calendar.workingDaysBetween(today, row.promisedDate))
      : null
  return { promisedDate: row.promisedDate, overdue, workingDaysLeft, clock: row.clockState }
}

export interface CaseSummary {
  caseNo: string
  direction: 'inbound' | 'outbound'
  partner: string
  partnerCaseNo: string | null
  item: { code: string | null; partnerCode: string; name: string }
  department: string
  state: string
  applicantName: string
  receivedAt: string
  promisedDate: string | null
  overdue: boolean
  workingDaysLeft: number | null
}

export function summaryOf(row: CaseRow, today: string, calendar: WorkingCalendar): CaseSummary {
  const clock = clockView(row, today, calendar)
  return {
    caseNo: row.caseNo,
    direction: row.direction,
    partner: row.partnerRegion,
    partnerCaseNo: row.partnerCaseNo,
    item: { code: row.itemCode, partnerCode: row.partnerItemCode, name: row.itemName },
    department: row.departmentCode,
    state: row.state,
    applicantName: row.applicantName,
    receivedAt: row.receivedAt.toISOString(),
    promisedDate: clock.promisedDate,
    overdue: clock.overdue,
    workingDaysLeft: clock.workingDaysLeft,
  }
}

/** The stored case document's people and delivery, as the API shows them. */
export function documentParts(row: CaseRow) {
  const doc = row.document as {
    applicant: Applicant
    agent?: Party
    delivery: Delivery
    form?: Record<string, string>
    remark?: string
    receivedAt?: string
    window?: { code?: string; name: string }
    clerk?: { name: string; id?: string }
    mode?: string
  }
  return {
    applicant: doc.applicant,
    agent: doc.agent ?? null,
    delivery: doc.delivery,
    form: doc.form ?? null,
    remark: doc.remark ?? null,
    mode: doc.mode ?? null,
    window: doc.window ?? null,
    clerk: doc.clerk ?? null,
  }
}
