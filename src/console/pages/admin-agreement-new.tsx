import type { AgreementBodyInput } from '../../modules/agreements/schemas.js'
import type { Department, Item } from '../../modules/catalog/model.js'
import { ErrorBox, type ErrorView, jwksLabel } from '../components/admin-form-errors.js'
import { FORMAT_ZH, formatLabel } from '../components/admin-labels.js'
import { type PostedForm as FormBody, text, texts } from '../components/form-values.js'
import { JwksField } from '../components/jwks-field.js'
import { Layout, type LayoutProps } from '../components/layout.js'

/** What the administrator typed, kept to show the form again after an error. */
export interface AgreementFormState {
  region: string
  name: string
  format: string
  endpoint: string
  validFrom: string
  validUntil: string
  maxPayloadMb: string
  jwks: string
  selected: string[]
  partnerCodes: Record<string, string>
  outbound: { code: string; name: string; days: string }[]
}

export const emptyAgreementForm = (today: string): AgreementFormState => ({
  region: '',
  name: '',
  format: 'conghua-xml-v1',
  endpoint: '',
  validFrom: today,
  validUntil: '',
  maxPayloadMb: '20',
  jwks: '',
  selected: [],
  partnerCodes: {},
  outbound: [],
})

const MIB = 1024 * 1024
const num = (raw: string) => (raw === '' ? Number.NaN : Number(raw))

const FIELD_ZH: Record<string, string> = {
  '/partner': '合作方',
  '/partner/region': '合作方区划代码',
  '/partner/name': '合作方名称',
  '/format': '报文格式',
  '/endpoint': '对方接口地址',
  '/validFrom': '生效日期',
  '/validUntil': '截止日期',
  '/maxPayloadBytes': '报文大小上限',
  '/items': '事项',
}
const ITEM_FIELD_ZH: Record<string, string> = {
  itemCode: '事项',
  partnerItemCode: '对方事项编码',
  name: '事项名称',
  promisedDays: '承诺时限',
}

/**
 * The form as the service's input: the inbound items ticked (in catalogue order) with any partner
 * code typed next to them, then the outbound rows that are not blank. `labelOf` names each
 * JSON Pointer of the input after the form's fields, for the error list.
 */
export function readAgreementForm(form: FormBody, jwksText: string, jwks: unknown, catalogue: Item[]) {
  const picked = new Set(texts(form, 'inbound'))
  const partnerCodes: Record<string, string> = {}
  for (const item of catalogue) {
    const code = text(form, `pc_${item.code}`)
    if (code) partnerCodes[item.code] = code
  }
  const codes = texts(form, 'out_code')
  const names = texts(form, 'out_name')
  const days = texts(form, 'out_days')
  const outbound = codes
    .map((_, i) => ({
      code: codes[i]?.trim() ?? '',
      name: names[i]?.trim() ?? '',
      days: days[i]?.trim() ?? '',
    }))
    .filter((r) => r.code || r.name || r.days)
  const selectedItems = catalogue.filter((i) => picked.has(i.code))
  // A ticked code that is not a cross-city item still goes to the service, which refuses it in place.
  const unknown = [...picked].filter((c) => !catalogue.some((i) => i.code === c))
  const state: AgreementFormState = {
    region: text(form, 'region'),
    name: text(form, 'name'),
    format: text(form, 'format'),
    endpoint: text(form, 'endpoint'),
    validFrom: text(form, 'validFrom'),
    validUntil: text(form, 'validUntil'),
    maxPayloadMb: text(form, 'maxPayloadMb'),
    jwks: jwksText,
    selected: [...selectedItems.map((i) => i.code), ...unknown],
    partnerCodes,
    outbound,
  }
  const itemLabels = [
    ...selectedItems.map((i) => `收件事项「${i.name}」`),
    ...unknown.map((c) => `收件事项 ${c}`),
    ...outbound.map((_, i) => `代收事项第 ${i + 1} 行`),
  ]
  const input: AgreementBodyInput = {
    partner: { region: state.region, name: state.name },
    format: state.format,
    endpoint: state.endpoint,
    keys: jwks as AgreementBodyInput['keys'],
    validFrom: state.validFrom,
    validUntil: state.validUntil,
    items: [
      ...state.selected.map((code) => ({
        direction: 'inbound' as const,
        itemCode: code,
        ...(partnerCodes[code] ? { partnerItemCode: partnerCodes[code] } : {}),
      })),
      ...outbound.map((r) => ({
        direction: 'outbound' as const,
        partnerItemCode: r.code,
        name: r.name,
        promisedDays: num(r.days),
      })),
    ],
    ...(state.maxPayloadMb ? { maxPayloadBytes: Math.round(num(state.maxPayloadMb) * MIB) } : {}),
  }
  const labelOf = (location: string): string | undefined => {
    if (FIELD_ZH[location]) return FIELD_ZH[location]
    if (location.startsWith('/keys')) return jwksLabel(location, '/keys')
    const m = /^\/items\/(\d+)(?:\/(\w+))?/.exec(location)
    if (!m) return undefined
    const base = itemLabels[Number(m[1])] ?? `第 ${Number(m[1]) + 1} 个事项`
    return m[2] ? `${base} · ${ITEM_FIELD_ZH[m[2]] ?? m[2]}` : base
  }
  return { state, input, labelOf }
}

export function NewAgreementPage(
  props: Omit<LayoutProps, 'title' | 'children'> & {
    state: AgreementFormState
    catalogue: Item[]
    departments: Department[]
    error?: ErrorView | undefined
  },
) {
  const s = props.state
  return (
    <Layout {...props} title="新建协议" current="/console/admin/agreements">
      <p>
        <a href="/console/admin/agreements">返回协议列表</a>
      </p>
      <ErrorBox view={props.error} />
      <form
        method="post"
        action="/console/admin/agreements"
        enctype="multipart/form-data"
        class="stack"
        aria-label="新建协议"
      >
        <input type="hidden" name="_csrf" value={props.csrf} />
        <fieldset class="group">
          <legend>合作方</legend>
          <label for="region">合作方区划代码（6 位）</label>
          <input id="region" name="region" value={s.region} inputmode="numeric" required />
          <label for="name">合作方名称</label>
          <input id="name" name="name" value={s.name} placeholder="广州市从化区" required />
        </fieldset>
        <fieldset class="group">
          <legend>交换方式</legend>
          <label for="format">报文格式</label>
          <select id="format" name="format">
            {Object.keys(FORMAT_ZH).map((id) => (
              <option value={id} selected={s.format === id}>
                {formatLabel(id)}
              </option>
            ))}
          </select>
          <label for="endpoint">对方接口地址</label>
          <input
            id="endpoint"
            name="endpoint"
            value={s.endpoint}
            placeholder="https://kytb.conghua.example/v1/exchange"
            required
          />
          <label for="maxPayloadMb">报文大小上限（MB，默认 20，最大 50）</label>
          <input
            id="maxPayloadMb"
            name="maxPayloadMb"
            value={s.maxPayloadMb}
            type="number"
            min="0.001"
            max="50"
            step="any"
          />
        </fieldset>
        <fieldset class="group">
          <legend>有效期（北京时间，含首尾两天）</legend>
          <label for="validFrom">生效日期</label>
          <input id="validFrom" name="validFrom" type="date" value={s.validFrom} required />
          <label for="validUntil">截止日期</label>
          <input id="validUntil" name="validUntil" type="date" value={s.validUntil} required />
        </fieldset>
        <JwksField id="jwks" value={s.jwks} legend="对方签名公钥" />
        <InboundPicker {...props} />
        <OutboundRows rows={s.outbound} />
        <p>
          <button type="submit">创建协议（草稿）</button>
        </p>
      </form>
    </Layout>
  )
}

/** The catalogue's cross-city items, one collapsible group per department, with a crosswalk code each. */
function InboundPicker(props: { state: AgreementFormState; catalogue: Item[]; departments: Department[] }) {
  const selected = new Set(props.state.selected)
  const names = new Map(props.departments.map((d) => [d.code, d.name]))
  // Groups in the departments' order; a department missing from the list comes last.
  const groups = new Map<string, Item[]>(props.departments.map((d) => [d.code, []]))
  for (const item of props.catalogue)
    groups.set(item.department, [...(groups.get(item.department) ?? []), item])
  return (
    <fieldset class="group">
      <legend>收件事项（对方可向新丰发送的事项）</legend>
      <p class="muted small" id="inbound-hint">
        共 {props.catalogue.length}{' '}
        个跨市通办事项，按部门分组。勾选本协议覆盖的事项；“对方事项编码”留空时使用国家基本编码（从化），
        龙门等使用自有编码的合作方请逐项填写。
      </p>
      {[...groups].map(([dept, items]) => {
        if (items.length === 0) return null
        const picked = items.filter((i) => selected.has(i.code)).length
        return (
          <details class="picker" open={picked > 0}>
            <summary>
              {names.get(dept) ?? dept}（{items.length} 项{picked > 0 ? `，已选 ${picked}` : ''}）
            </summary>
            <table>
              <thead>
                <tr>
                  <th>选择 / 事项</th>
                  <th>实施编码</th>
                  <th>对方事项编码</th>
                </tr>
              </thead>
              <tbody>
                {items.map((item) => (
                  <tr>
                    <td>
                      <input
                        type="checkbox"
                        id={`in-${item.code}`}
                        name="inbound"
                        value={item.code}
                        checked={selected.has(item.code)}
                      />{' '}
                      <label class="inline" for={`in-${item.code}`}>
                        {item.name}
                      </label>
                    </td>
                    <td>
                      <code>{item.code}</code>
                    </td>
                    <td>
                      <label class="sr-only" for={`pc-${item.code}`}>
                        {`对方事项编码：${item.name}`}
                      </label>
                      <input
                        id={`pc-${item.code}`}
                        name={`pc_${item.code}`}
                        value={props.state.partnerCodes[item.code] ?? ''}
                        placeholder={item.basicCode}
                        class="short"
                        aria-describedby="inbound-hint"
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        )
      })}
    </fieldset>
  )
}

function OutboundRow(props: { code?: string; name?: string; days?: string }) {
  return (
    <div class="row-fields">
      <label>
        对方事项编码
        <input name="out_code" value={props.code ?? ''} />
      </label>
      <label>
        事项名称
        <input name="out_name" value={props.name ?? ''} />
      </label>
      <label>
        承诺时限（工作日）
        <input name="out_days" value={props.days ?? ''} type="number" min="1" max="365" />
      </label>
    </div>
  )
}

/** The partner's items Xinfeng's windows collect for it: repeatable rows (app.js adds more). */
function OutboundRows(props: { rows: AgreementFormState['outbound'] }) {
  return (
    <fieldset class="group">
      <legend>代收事项（新丰窗口代对方收件的事项）</legend>
      <p class="muted small">空白行会被忽略。</p>
      {props.rows.map((r) => (
        <OutboundRow code={r.code} name={r.name} days={r.days} />
      ))}
      <OutboundRow />
      <template id="outbound-row">
        <OutboundRow />
      </template>
      <button type="button" class="secondary" data-add-row="outbound-row">
        添加一行
      </button>
    </fieldset>
  )
}
