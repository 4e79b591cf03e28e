import type { AppError, FieldError } from '../../lib/errors.js'

/** The services' error codes as a person at the console reads them. */
const ERROR_ZH: Record<string, string> = {
  validation_failed: '提交的内容有误，请修改后重试：',
  conflict: '操作与当前状态冲突。',
  transition_not_allowed: '当前状态不允许此操作。',
  not_found: '要操作的对象不存在（可能已被删除或编号有误）。',
  bad_request: '请求无效。',
  forbidden: '无权执行此操作。',
  payload_too_large: '上传的内容过大。',
}

/** Located field problems (validate-agreement, validate-jwks, validate-endpoint, zod). */
const FIELD_ZH: Record<string, string> = {
  required: '必填',
  invalid_type: '缺少或类型不正确',
  too_small: '过小、过短或数量不足',
  too_big: '过大、过长或数量过多',
  invalid_format: '格式不正确',
  invalid_value: '取值不在允许范围内',
  invalid_union: '内容不符合要求',
  unrecognized_keys: '含有不认识的字段',
  custom: '不符合要求',
  invalid_json: '不是有效的 JSON 文本',
  own_region: '这是新丰县自己的区划代码，不是合作方',
  unknown_format: '没有这种报文格式',
  invalid_url: '不是有效的 https:// 地址',
  insecure_endpoint: '必须使用 https://',
  credentials_in_url: '地址中不得包含用户名或密码',
  query_or_fragment: '地址中不得包含查询参数（?…）或片段（#…）',
  internal_host: '不允许使用本机或内网地址',
  invalid_date: '不是存在的日期',
  date_order: '截止日期早于生效日期',
  unknown_item: '事项目录中没有该事项',
  duplicate_partner_item_code: '对方事项编码重复（同一方向内只能出现一次）',
  invalid_jwks: '应为 JWKS：{ "keys": [ … ] }',
  private_key: '含有私钥成员，只能提交公钥',
  unsupported_key: '密钥类型不受支持，仅允许 EC P-256 或 OKP Ed25519',
  unsupported_curve: '曲线不受支持，仅允许 P-256 或 Ed25519',
  unsupported_alg: '算法不受支持，仅允许 ES256 或 EdDSA',
  alg_mismatch: '算法与密钥类型不匹配',
  invalid_kid: 'kid 须为 1–64 个字母、数字或 . _ : -',
  duplicate_kid: 'kid 重复',
  invalid_coordinate: '坐标应为 32 字节的 base64url 文本（无填充）',
  unimportable_key: '密钥无法导入：坐标不是有效的公钥',
  invalid_use: '签名密钥的 use 只能是 "sig"',
  invalid_key_ops: 'key_ops 只能是 "verify"',
  invalid_numeric_date: '应为自 1970-01-01 起的整秒数',
  invalid_window: 'exp 必须晚于 nbf',
  unknown: '不存在',
  invalid_cursor: '分页参数无效，请从第一页开始',
  invalid: '格式不正确',
}

/** Extra Chinese for particular messages that share a generic code. */
const MESSAGE_ZH: [RegExp, string][] = [
  [/^required$/, '必填'],
  [/expected number/, '应为数字'],
  [/expected 1 to \d+ keys/, '密钥数量应为 1 至 10 个'],
  [/6-digit region code/, '应为 6 位行政区划代码'],
  [/a date YYYY-MM-DD/, '应为日期，格式 YYYY-MM-DD'],
  [/letters, digits, \. _ -/, '只能包含字母、数字及 . _ -'],
  [/at least 10 characters/, '至少 10 个字符'],
  [/expected YYYY-MM/, '应为月份，格式 YYYY-MM'],
]

export interface ErrorLine {
  where: string
  text: string
}

export interface ErrorView {
  title: string
  lines: ErrorLine[]
}

export function fieldErrorText(e: FieldError): string {
  const special = MESSAGE_ZH.find(([re]) => re.test(e.message))?.[1]
  return special ?? FIELD_ZH[e.code] ?? e.message
}

/**
 * A service's AppError in Chinese. `labelOf` names a JSON Pointer after the form's field;
 * `detail` may give a better sentence for an error of this page (a conflict, say).
 */
export function describeError(
  err: AppError,
  options: { labelOf?: (location: string) => string | undefined; detail?: string | undefined } = {},
): ErrorView {
  const lines = (err.errors ?? []).map((e) => {
    const label = options.labelOf?.(e.location)
    return { where: label ? `${label}（${e.location}）` : e.location, text: fieldErrorText(e) }
  })
  return { title: options.detail ?? ERROR_ZH[err.code] ?? `操作失败（${err.code}）。`, lines }
}

/** The error block at the top of a form: one line per located problem. */
export function ErrorBox({ view }: { view: ErrorView | undefined }) {
  if (!view) return null
  return (
    <div class="notice error" role="alert">
      <p class="flush">{view.title}</p>
      {view.lines.length > 0 && (
        <ul class="errors">
          {view.lines.map((l) => (
            <li>
              <strong>{l.where}</strong>：{l.text}
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}

/** "/keys/keys/0/kid" (prefix "/keys") → "公钥第 1 个 · kid". */
export function jwksLabel(location: string, prefix: string): string | undefined {
  if (location === prefix || location === `${prefix}/` || location === `${prefix}/keys`) return '公钥 JWKS'
  if (!location.startsWith(`${prefix}/keys/`)) return undefined
  const [index, member] = location.slice(prefix.length + 6).split('/')
  const n = Number(index) + 1
  if (!Number.isInteger(n)) return '公钥 JWKS'
  return member ? `第 ${n} 个公钥 · ${member}` : `第 ${n} 个公钥`
}
