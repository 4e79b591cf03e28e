import type { FieldError } from '../../lib/errors.js'
import type { EventType } from '../../modules/formats/canonical.js'
import { EVENT_RULES } from '../../modules/formats/shared/event-rules.js'
import { fieldId, SelectField, TextAreaField, TextField } from '../components/clerk-fields.js'
import { type PostedForm, readMaterialRows, text, texts } from '../components/clerk-form-values.js'
import { ErrorSummary, type Problems, problemMap } from '../components/clerk-problems.js'
import {
  CorrectionRows,
  type CorrectionRowValue,
  MaterialRows,
  type MaterialRowValue,
} from '../components/clerk-rows.js'
import { OUTCOME_ZH } from '../labels.js'

/** What each action is called on its button, what its reason is called, and whether to ask first. */
const ACTIONS: Partial<Record<EventType, { title: string; reason: string; confirm?: string }>> = {
  accepted: { title: '受理', reason: '受理意见' },
  rejected: {
    title: '不予受理',
    reason: '不予受理理由',
    confirm: '确定不予受理？办件将就此终结，不能撤销。',
  },
  correction_requested: { title: '补正告知（要求补正材料）', reason: '补正原因' },
  correction_submitted: { title: '补正提交（上传补正材料）', reason: '补正说明' },
  in_process: { title: '开始办理', reason: '办理意见' },
  suspended: { title: '特别程序开始（暂停计时）', reason: '特别程序原因' },
  resumed: { title: '特别程序结束（恢复计时）', reason: '说明' },
  concluded: { title: '办结', reason: '办结意见' },
  delivered: { title: '送达（结果已送达申请人）', reason: '说明' },
  withdrawn: {
    title: '撤回',
    reason: '撤回原因',
    confirm: '确定撤回此代收件？对方将停止办理，不能撤销。',
  },
}

export const actionTitle = (type: string) => ACTIONS[type as EventType]?.title ?? type

export interface EventFormValues {
  reason: string
  correction: CorrectionRowValue[]
  result: { outcome: string; documentName: string; documentNo: string; carrier: string; number: string }
  materials: MaterialRowValue[]
}

/** A refused action: its form opens again with what was entered and what was wrong. */
export interface FailedAction {
  type: string
  values: EventFormValues
  problems: FieldError[]
}

/**
 * An action form as the body of `POST /v1/cases/{caseNo}/events` (checked by ClerkEventBody),
 * and the values to show again if it is refused. Rows left empty are dropped.
 */
export async function readEventForm(form: PostedForm) {
  const type = text(form, 'type')
  const reason = text(form, 'reason')
  const codes = texts(form, 'correction.code')
  const names = texts(form, 'correction.name')
  const notes = texts(form, 'correction.note')
  const correction = codes
    .map((code, i) => ({ code, name: names[i] ?? '', note: notes[i] ?? '' }))
    .filter((r) => r.code || r.name || r.note)
  const result = {
    outcome: text(form, 'result.outcome'),
    documentName: text(form, 'result.documentName'),
    documentNo: text(form, 'result.documentNo'),
    carrier: text(form, 'result.waybill.carrier'),
    number: text(form, 'result.waybill.number'),
  }
  const { rows, materials } =
    type === 'correction_submitted' ? await readMaterialRows(form) : { rows: [], materials: [] }
  const body = {
    type,
    ...(reason ? { reason } : {}),
    ...(correction.length
      ? {
          correction: correction.map((r) => ({
            code: r.code,
            name: r.name,
            ...(r.note ? { note: r.note } : {}),
          })),
        }
      : {}),
    ...(type === 'concluded'
      ? {
          result: {
            outcome: result.outcome,
            ...(result.documentName ? { documentName: result.documentName } : {}),
            ...(result.documentNo ? { documentNo: result.documentNo } : {}),
            ...(result.carrier || result.number
              ? { waybill: { carrier: result.carrier, number: result.number } }
              : {}),
          },
        }
      : {}),
    ...(materials.length ? { materials } : {}),
  }
  const values: EventFormValues = { reason, correction, result, materials: rows }
  return { type, body, values }
}

const EMPTY_VALUES: EventFormValues = {
  reason: '',
  correction: [],
  result: { outcome: 'approved', documentName: '', documentNo: '', carrier: '', number: '' },
  materials: [],
}

/** The actions the case's state allows us, each a closed `<details>` with its form. */
export function CaseActions(props: {
  caseNo: string
  csrf: string
  allowed: readonly string[]
  deliveryMethod: string
  failed?: FailedAction | undefined
  /** What the partner last asked to be corrected: the rows of a correction submission. */
  lastCorrection?: CorrectionRowValue[] | undefined
}) {
  const allowed = props.allowed.filter((t): t is EventType => t in ACTIONS)
  if (allowed.length === 0) return <p class="muted">办件当前状态下没有可执行的操作。</p>
  return (
    <div class="actions">
      {allowed.map((type) => {
        const failed = props.failed?.type === type ? props.failed : undefined
        return (
          <ActionForm
            type={type}
            caseNo={props.caseNo}
            csrf={props.csrf}
            deliveryMethod={props.deliveryMethod}
            values={failed?.values ?? withCorrectionRows(EMPTY_VALUES, type, props.lastCorrection)}
            problems={failed?.problems ?? []}
            open={!!failed}
          />
        )
      })}
    </div>
  )
}

function withCorrectionRows(values: EventFormValues, type: EventType, asked?: CorrectionRowValue[]) {
  if (type !== 'correction_submitted' || !asked?.length) return values
  return {
    ...values,
    materials: asked.map((r) => ({ code: r.code, name: r.name, original: '0' as const, carry: '' })),
  }
}

function ActionForm(props: {
  type: EventType
  caseNo: string
  csrf: string
  deliveryMethod: string
  values: EventFormValues
  problems: FieldError[]
  open: boolean
}) {
  const { type, values } = props
  const spec = ACTIONS[type] as NonNullable<(typeof ACTIONS)[EventType]>
  const parts = EVENT_RULES[type].parts
  const prefix = `ev-${type}`
  const problems: Problems = problemMap(props.problems)
  const id = (pointer: string) => fieldId(prefix, pointer)
  const reasonRule = parts.reason
  const multipart = parts.materials !== 'not_allowed'
  return (
    <details open={props.open} id={prefix}>
      <summary>{spec.title}</summary>
      <form
        method="post"
        action={`/console/cases/${props.caseNo}/events`}
        enctype={multipart ? 'multipart/form-data' : undefined}
        data-confirm={spec.confirm}
      >
        <input type="hidden" name="_csrf" value={props.csrf} />
        <input type="hidden" name="type" value={type} />
        {props.problems.length > 0 && (
          <div role="alert">
            <ErrorSummary problems={props.problems} />
          </div>
        )}
        {parts.correction !== 'not_allowed' && (
          <fieldset class="group">
            <legend>需要补正的材料（至少一项）</legend>
            {problems.get('/correction') && (
              <p class="field-error">{problems.get('/correction')?.join('；')}</p>
            )}
            <CorrectionRows prefix={prefix} rows={values.correction} problems={problems} />
          </fieldset>
        )}
        {parts.materials !== 'not_allowed' && (
          <fieldset class="group">
            <legend>补正材料（至少一份）</legend>
            {problems.get('/materials') && (
              <p class="field-error">{problems.get('/materials')?.join('；')}</p>
            )}
            <MaterialRows prefix={prefix} rows={values.materials} problems={problems} requireOne />
          </fieldset>
        )}
        {parts.result !== 'not_allowed' && (
          <fieldset class="group">
            <legend>办结结果</legend>
            <SelectField
              id={id('/result/outcome')}
              name="result.outcome"
              label="办理结果"
              required
              value={values.result.outcome}
              options={Object.entries(OUTCOME_ZH)}
              problems={problemsFor(problems, '/result', 'outcome')}
            />
            <div class="field-pair">
              <TextField
                id={id('/result/documentName')}
                name="result.documentName"
                label="证照或文书名称"
                value={values.result.documentName}
                maxlength={100}
                problems={problems.get('/result/documentName')}
              />
              <TextField
                id={id('/result/documentNo')}
                name="result.documentNo"
                label="证照或文书编号"
                value={values.result.documentNo}
                maxlength={100}
                problems={problems.get('/result/documentNo')}
              />
            </div>
            <div class="field-pair">
              <TextField
                id={id('/result/waybill/carrier')}
                name="result.waybill.carrier"
                label="快递公司"
                value={values.result.carrier}
                placeholder="如 EMS"
                maxlength={40}
                hint={props.deliveryMethod === 'mail' ? '邮寄送达：准予办结时必填' : undefined}
                problems={problemsFor(problems, '/result/waybill', 'carrier')}
              />
              <TextField
                id={id('/result/waybill/number')}
                name="result.waybill.number"
                label="运单号"
                value={values.result.number}
                maxlength={60}
                hint={props.deliveryMethod === 'mail' ? '邮寄送达：准予办结时必填' : undefined}
                problems={problemsFor(problems, '/result/waybill', 'number')}
              />
            </div>
          </fieldset>
        )}
        <TextAreaField
          id={id('/reason')}
          name="reason"
          label={
            reasonRule === 'required'
              ? spec.reason
              : reasonRule === 'unless_approved'
                ? `${spec.reason}（结果不是“准予”时必填）`
                : `${spec.reason}（可选）`
          }
          required={reasonRule === 'required'}
          value={values.reason}
          maxlength={1000}
          problems={problems.get('/reason')}
        />
        <p>
          <button type="submit">确认{spec.title.replace(/（.*）$/, '')}</button>
        </p>
      </form>
    </details>
  )
}

/** The waybill's problems: its own field's, or the whole waybill's (required for mail). */
function problemsFor(problems: Problems, pointer: string, field: string): string[] {
  return [...(problems.get(pointer) ?? []), ...(problems.get(`${pointer}/${field}`) ?? [])]
}
