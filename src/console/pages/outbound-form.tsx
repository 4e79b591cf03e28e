import type { FieldError } from '../../lib/errors.js'
import type { Agreement } from '../../modules/agreements/model.js'
import { fieldId, SelectField, TextAreaField, TextField } from '../components/clerk-fields.js'
import { type PostedForm, readMaterialRows, text, texts } from '../components/clerk-form-values.js'
import { ErrorSummary, type Problems, problemMap } from '../components/clerk-problems.js'
import { MaterialRows, type MaterialRowValue, problemsUnder, Repeatable } from '../components/clerk-rows.js'
import { Layout, type LayoutProps } from '../components/layout.js'
import { DELIVERY_METHOD_ZH, ID_TYPE_ZH } from '../labels.js'

/** A partner we may send cases to: an active agreement's partner and its outbound items. */
export interface OutboundPartner {
  region: string
  name: string
  items: { code: string; name: string; promisedDays: number }[]
}

export function outboundPartners(agreements: Agreement[]): OutboundPartner[] {
  const seen = new Map<string, OutboundPartner>()
  for (const a of agreements) {
    if (a.status !== 'active' || seen.has(a.partner.region)) continue
    seen.set(a.partner.region, {
      region: a.partner.region,
      name: a.partner.name,
      items: a.items.flatMap((i) =>
        i.direction === 'outbound'
          ? [{ code: i.partnerItemCode, name: i.name, promisedDays: i.promisedDays }]
          : [],
      ),
    })
  }
  return [...seen.values()]
}

const SCALARS = [
  'partner',
  'partnerItemCode',
  'applicant.kind',
  'applicant.name',
  'applicant.idType',
  'applicant.idNumber',
  'applicant.mobile',
  'applicant.address',
  'agent.name',
  'agent.idType',
  'agent.idNumber',
  'agent.mobile',
  'agent.address',
  'delivery.method',
  'delivery.recipient',
  'delivery.mobile',
  'delivery.address',
  'remark',
  'department',
] as const

export interface OutboundValues {
  fields: Partial<Record<(typeof SCALARS)[number], string>>
  materials: MaterialRowValue[]
  form: { key: string; value: string }[]
}

const optional = <K extends string>(key: K, v: string) =>
  (v ? { [key]: v } : {}) as Partial<Record<K, string>>

/**
 * The form as the body of `POST /v1/cases` (checked by OutboundCaseBody), and the values to
 * show again if it is refused. The agent counts only when any of its fields is filled in.
 */
export async function readOutboundForm(form: PostedForm) {
  const f = Object.fromEntries(SCALARS.map((k) => [k, text(form, k)])) as Record<
    (typeof SCALARS)[number],
    string
  >
  const keys = texts(form, 'form.key')
  const formValues = texts(form, 'form.value')
  const formRows = keys.map((key, i) => ({ key, value: formValues[i] ?? '' })).filter((r) => r.key || r.value)
  const { rows, materials } = await readMaterialRows(form)
  const party = (p: 'applicant' | 'agent') => ({
    name: f[`${p}.name`],
    idType: f[`${p}.idType`],
    idNumber: f[`${p}.idNumber`],
    mobile: f[`${p}.mobile`],
    ...optional('address', f[`${p}.address`]),
  })
  const hasAgent = !!(f['agent.name'] || f['agent.idNumber'] || f['agent.mobile'] || f['agent.address'])
  const body = {
    partner: f.partner,
    partnerItemCode: f.partnerItemCode,
    applicant: { kind: f['applicant.kind'], ...party('applicant') },
    ...(hasAgent ? { agent: party('agent') } : {}),
    materials,
    delivery: {
      method: f['delivery.method'],
      ...optional('recipient', f['delivery.recipient']),
      ...optional('mobile', f['delivery.mobile']),
      ...optional('address', f['delivery.address']),
    },
    ...(formRows.length ? { form: Object.fromEntries(formRows.map((r) => [r.key, r.value])) } : {}),
    ...optional('remark', f.remark),
    ...optional('department', f.department),
  }
  const values: OutboundValues = { fields: f, materials: rows, form: formRows }
  return { body, values }
}

type PageProps = Omit<LayoutProps, 'title' | 'children'> & { csrf: string; partners: OutboundPartner[] }

/** Step one: which partner the case goes to (its items are then offered). */
export function OutboundPartnerStep(props: PageProps & { chosen?: string | undefined }) {
  return (
    <Layout {...props} title="新建代收件" current="/console/cases/new">
      <p class="lead">本窗口代收、送合作地区办理的事项。第一步：选择办理地区。</p>
      {props.partners.length === 0 ? (
        <p class="notice error">目前没有生效的合作协议，无法新建代收件。请联系管理员。</p>
      ) : (
        <form method="get" action="/console/cases/new" class="card narrow">
          <SelectField
            id="ob-partner"
            name="partner"
            label="办理地区（合作方）"
            required
            value={props.chosen}
            empty="请选择"
            options={props.partners.map((p) => [p.region, `${p.name}（${p.region}）`] as const)}
          />
          <p>
            <button type="submit">下一步</button>
          </p>
        </form>
      )}
    </Layout>
  )
}

const ID_TYPES = Object.entries(ID_TYPE_ZH)
const PREFIX = 'ob'
const id = (pointer: string) => fieldId(PREFIX, pointer)

/** Step two: the case itself, for one partner's item. */
export function OutboundFormPage(
  props: PageProps & {
    partner: OutboundPartner
    values: OutboundValues
    problems: FieldError[]
  },
) {
  const v = props.values.fields
  const problems: Problems = problemMap(props.problems)
  const p = (pointer: string) => problems.get(pointer)
  const agentOpen = !!(v['agent.name'] || v['agent.idNumber'] || problemsUnder(problems, '/agent').length)
  return (
    <Layout {...props} title="新建代收件" current="/console/cases/new">
      <form method="post" action="/console/cases/new" enctype="multipart/form-data" class="outbound">
        <input type="hidden" name="_csrf" value={props.csrf} />
        <input type="hidden" name="partner" value={props.partner.region} />
        {props.problems.length > 0 && <ErrorSummary problems={props.problems} />}

        <fieldset class="group">
          <legend>办理地区与事项</legend>
          <p>
            办理地区：<strong>{props.partner.name}</strong>（{props.partner.region}）{' '}
            <a href="/console/cases/new">更换地区</a>
          </p>
          <SelectField
            id={id('/partnerItemCode')}
            name="partnerItemCode"
            label="代收事项"
            required
            value={v.partnerItemCode}
            empty={props.partner.items.length ? '请选择' : '该协议没有代收事项'}
            options={props.partner.items.map(
              (i) => [i.code, `${i.name}（${i.code}，承诺 ${i.promisedDays} 个工作日）`] as const,
            )}
            problems={p('/partnerItemCode')}
          />
          {props.actor?.role === 'admin' && (
            <TextField
              id={id('/department')}
              name="department"
              label="所属部门编码"
              required
              value={v.department}
              hint="管理员代部门录入时填写，如 MZJ"
              problems={p('/department')}
            />
          )}
        </fieldset>

        <fieldset class="group">
          <legend>申请人</legend>
          <div class="field-grid">
            <SelectField
              id={id('/applicant/kind')}
              name="applicant.kind"
              label="申请人类型"
              required
              value={v['applicant.kind'] || 'person'}
              options={[
                ['person', '自然人'],
                ['org', '法人或其他组织'],
              ]}
              problems={p('/applicant/kind')}
            />
            <TextField
              id={id('/applicant/name')}
              name="applicant.name"
              label="姓名或单位名称"
              required
              maxlength={100}
              value={v['applicant.name']}
              problems={p('/applicant/name')}
            />
            <SelectField
              id={id('/applicant/idType')}
              name="applicant.idType"
              label="证件类型"
              required
              value={v['applicant.idType'] || 'resident_id'}
              options={ID_TYPES}
              problems={p('/applicant/idType')}
            />
            <TextField
              id={id('/applicant/idNumber')}
              name="applicant.idNumber"
              label="证件号码"
              required
              maxlength={40}
              autocomplete="off"
              value={v['applicant.idNumber']}
              problems={p('/applicant/idNumber')}
            />
            <TextField
              id={id('/applicant/mobile')}
              name="applicant.mobile"
              label="手机号码"
              type="tel"
              inputmode="numeric"
              required
              maxlength={11}
              pattern="1[0-9]{10}"
              hint="以 1 开头的 11 位数字"
              value={v['applicant.mobile']}
              problems={p('/applicant/mobile')}
            />
            <TextField
              id={id('/applicant/address')}
              name="applicant.address"
              label="地址（可选）"
              maxlength={200}
              value={v['applicant.address']}
              problems={p('/applicant/address')}
            />
          </div>
        </fieldset>

        <details class="group" open={agentOpen}>
          <summary>代理人（可选，由他人代办时填写）</summary>
          <div class="field-grid">
            <TextField
              id={id('/agent/name')}
              name="agent.name"
              label="代理人姓名"
              maxlength={100}
              value={v['agent.name']}
              problems={p('/agent/name')}
            />
            <SelectField
              id={id('/agent/idType')}
              name="agent.idType"
              label="代理人证件类型"
              value={v['agent.idType'] || 'resident_id'}
              options={ID_TYPES}
              problems={p('/agent/idType')}
            />
            <TextField
              id={id('/agent/idNumber')}
              name="agent.idNumber"
              label="代理人证件号码"
              maxlength={40}
              autocomplete="off"
              value={v['agent.idNumber']}
              problems={p('/agent/idNumber')}
            />
            <TextField
              id={id('/agent/mobile')}
              name="agent.mobile"
              label="代理人手机号码"
              type="tel"
              inputmode="numeric"
              maxlength={11}
              pattern="1[0-9]{10}"
              value={v['agent.mobile']}
              problems={p('/agent/mobile')}
            />
            <TextField
              id={id('/agent/address')}
              name="agent.address"
              label="代理人地址（可选）"
              maxlength={200}
              value={v['agent.address']}
              problems={p('/agent/address')}
            />
          </div>
        </details>

        <fieldset class="group">
          <legend>申请材料（至少一份）</legend>
          {p('/materials') && <p class="field-error">{p('/materials')?.join('；')}</p>}
          <MaterialRows prefix={PREFIX} rows={props.values.materials} problems={problems} requireOne />
        </fieldset>

        <fieldset class="group">
          <legend>结果送达</legend>
          <div class="field-grid">
            <SelectField
              id={id('/delivery/method')}
              name="delivery.method"
              label="送达方式"
              required
              value={v['delivery.method'] || 'window'}
              options={Object.entries(DELIVERY_METHOD_ZH)}
              problems={p('/delivery/method')}
            />
            <TextField
              id={id('/delivery/recipient')}
              name="delivery.recipient"
              label="收件人"
              hint="邮寄时必填"
              maxlength={100}
              value={v['delivery.recipient']}
              problems={p('/delivery/recipient')}
            />
            <TextField
              id={id('/delivery/mobile')}
              name="delivery.mobile"
              label="收件人手机号码"
              type="tel"
              inputmode="numeric"
              maxlength={11}
              pattern="1[0-9]{10}"
              hint="邮寄时必填"
              value={v['delivery.mobile']}
              problems={p('/delivery/mobile')}
            />
            <TextField
              id={id('/delivery/address')}
              name="delivery.address"
              label="邮寄地址"
              hint="邮寄时必填"
              maxlength={200}
              value={v['delivery.address']}
              problems={p('/delivery/address')}
            />
          </div>
        </fieldset>

        <details class="group" open={props.values.form.length > 0}>
          <summary>附加表单字段（可选，按对方事项要求填写）</summary>
          {problemsUnder(problems, '/form').length > 0 && (
            <p class="field-error">
              字段名须以英文字母开头，只含字母、数字和下划线：{problemsUnder(problems, '/form').join('；')}
            </p>
          )}
          <Repeatable
            id={`${PREFIX}-form`}
            rows={props.values.form.length ? props.values.form : [{ key: '', value: '' }]}
            addLabel="添加一个字段"
            render={(i) => {
              const row = typeof i === 'number' ? props.values.form[i] : undefined
              return (
                <fieldset class="row">
                  <legend>{typeof i === 'number' ? `字段 ${i + 1}` : '新增字段'}</legend>
                  <TextField
                    id={id(`/form/${i}/key`)}
                    name="form.key"
                    label="字段名"
                    maxlength={64}
                    pattern="[A-Za-z][A-Za-z0-9_]{0,63}"
                    value={row?.key}
                  />
                  <TextField
                    id={id(`/form/${i}/value`)}
                    name="form.value"
                    label="字段值"
                    maxlength={1000}
                    value={row?.value}
                  />
                </fieldset>
              )
            }}
          />
        </details>

        <TextAreaField
          id={id('/remark')}
          name="remark"
          label="备注（可选）"
          maxlength={1000}
          value={v.remark}
          problems={p('/remark')}
        />
        <p>
          <button type="submit">提交并发送给{props.partner.name}</button>
        </p>
      </form>
    </Layout>
  )
}
