import type { AppError, FieldError } from '../../lib/errors.js'

/** Located problems of one form, keyed by JSON Pointer (`/applicant/idNumber`). */
export type Problems = ReadonlyMap<string, string[]>

const SEGMENT_ZH: Record<string, string> = {
  applicant: '申请人',
  agent: '代理人',
  delivery: '送达信息',
  materials: '材料',
  correction: '补正清单',
  result: '办结结果',
  waybill: '运单',
  form: '表单字段',
  kind: '申请人类型',
  name: '名称',
  'applicant.name': '姓名或名称',
  'agent.name': '姓名',
  'materials.name': '材料名称',
  'correction.name': '材料名称',
  'file.name': '文件名',
  idType: '证件类型',
  idNumber: '证件号码',
  mobile: '手机号码',
  address: '地址',
  recipient: '收件人',
  method: '送达方式',
  code: '材料编码',
  note: '说明',
  original: '原件',
  file: '文件',
  content: '文件内容',
  mediaType: '文件类型',
  size: '文件大小',
  sha256: '文件摘要',
  remark: '备注',
  reason: '理由或意见',
  outcome: '办理结果',
  documentName: '证照名称',
  documentNo: '证照编号',
  carrier: '快递公司',
  number: '运单号',
  partner: '合作地区',
  partnerItemCode: '代收事项',
  type: '操作',
  promisedDate: '承诺办结日期',
  department: '所属部门',
}

const unescapePointer = (s: string) => s.replaceAll('~1', '/').replaceAll('~0', '~')

/** A JSON Pointer in words: `/materials/0/file` → 材料 · 第 1 行 · 文件. */
export function locationZh(pointer: string): string {
  const parts = pointer.split('/').filter(Boolean).map(unescapePointer)
  if (parts.length === 0) return '表单'
  let parent = ''
  return parts
    .map((p) => {
      if (/^\d+$/.test(p)) return `第 ${Number(p) + 1} 行`
      const word = SEGMENT_ZH[`${parent}.${p}`] ?? SEGMENT_ZH[p] ?? p
      parent = p
      return word
    })
    .join(' · ')
}

/** One problem's message in Chinese, from its stable code (the English message is for machines). */
export function problemZh(p: FieldError): string {
  const field = unescapePointer(p.location.split('/').pop() ?? '')
  switch (p.code) {
    case 'required':
    case 'invalid_type':
      if (field === 'waybill') return '邮寄送达且准予办结时，须填写快递公司和运单号'
      return '必填'
    case 'too_small':
      if (field === 'materials') return '至少需要一份材料'
      return '必填'
    case 'too_big':
      return '内容过长'
    case 'checksum':
      return field === 'idNumber' ? '证件号码校验位不正确，请核对' : '校验位不正确'
    case 'format':
    case 'invalid_format':
      return field === 'mobile' ? '应为以 1 开头的 11 位数字' : '格式不正确'
    case 'invalid_value':
      return '请从列表中选择'
    case 'not_allowed':
      if (field === 'idType') return '单位申请人使用统一社会信用代码，个人申请人使用其他证件'
      return '此操作不应填写此项'
    case 'base64':
      return '文件内容无效，请重新选择文件'
    case 'size_mismatch':
    case 'sha256_mismatch':
      return '文件校验失败，请重新选择文件'
    default:
      return `不符合要求（${p.code}）`
  }
}

export function problemMap(list: readonly FieldError[]): Problems {
  const map = new Map<string, string[]>()
  for (const p of list) map.set(p.location, [...(map.get(p.location) ?? []), problemZh(p)])
  return map
}

/** What went wrong, for the notice at the top of the page. */
export function appErrorZh(err: AppError): string {
  switch (err.code) {
    case 'transition_not_allowed':
      return '办件当前的状态不允许此操作（可能已有人处理，或对方刚刚更新了办件）。请查看最新状态后再操作。'
    case 'validation_failed': {
      const n = err.errors?.length ?? 0
      return n > 0 ? `有 ${n} 处填写有误，请修改后重新提交。` : '填写有误，请修改后重新提交。'
    }
    case 'agreement_inactive':
      return '与该地区的合作协议当前未生效，无法发送代收件。'
    case 'item_not_in_agreement':
      return '所选事项不在该地区合作协议的代收事项中，请重新选择。'
    case 'payload_too_large':
      return '上传的文件过大。'
    case 'case_not_found':
    case 'not_found':
      return '办件不存在。'
    case 'forbidden':
      return '您没有权限执行此操作。'
    default:
      return '操作未成功，请稍后重试。'
  }
}

/** The list of every problem of a failed form: where, and what. */
export function ErrorSummary({ problems }: { problems: readonly FieldError[] }) {
  if (problems.length === 0) return null
  return (
    <div class="error-summary">
      <p>请修改以下内容：</p>
      <ul>
        {problems.map((p) => (
          <li>
            <strong>{locationZh(p.location)}</strong>：{problemZh(p)}
          </li>
        ))}
      </ul>
    </div>
  )
}
