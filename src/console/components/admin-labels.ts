/** Words of the administrator pages (the shared ones are in ../labels.ts). */
import { beijingTime } from '../labels.js'

export const FORMAT_ZH: Record<string, string> = {
  'conghua-xml-v1': '从化 XML 第 1 版',
  'longmen-json-v1': '龙门 JSON 第 1 版',
}

export const formatLabel = (id: string) => (FORMAT_ZH[id] ? `${FORMAT_ZH[id]}（${id}）` : id)

/** The change each agreement version records. */
export const AGREEMENT_CHANGE_ZH: Record<string, string> = {
  created: '创建',
  activated: '启用',
  suspended: '暂停',
  terminated: '终止',
  keys_replaced: '更换密钥',
}

/** The agreement lifecycle verbs, by the status they lead to. */
export const AGREEMENT_ACTIONS = [
  {
    action: 'activate',
    to: 'active',
    label: '启用',
    confirm: '确定启用该协议？启用后即信任对方的密钥并开始交换。',
  },
  {
    action: 'suspend',
    to: 'suspended',
    label: '暂停',
    confirm: '确定暂停该协议？暂停期间对方报文将被拒收。',
  },
  { action: 'terminate', to: 'terminated', label: '终止', confirm: '确定终止该协议？终止后不可恢复。' },
] as const

/** An item status move, named after where it goes (and where it comes from). */
export function itemMoveLabel(from: string, to: string): string {
  if (to === 'online') return from === 'paused' ? '恢复上线' : '上线'
  if (to === 'paused') return '暂停'
  if (to === 'retired') return '撤销'
  return to
}

export const MODE_ZH: Record<string, string> = { online: '全程网办', proxy: '代收代办', joint: '多地联办' }

export const ROLE_ZH: Record<string, string> = { admin: '管理员', clerk: '窗口人员' }

export const TYP_ZH: Record<string, string> = {
  'kytb-case': '办件',
  'kytb-status': '状态事件',
}

/** Audit actions people see most; others are shown by their code. */
export const AUDIT_ACTION_ZH: Record<string, string> = {
  'agreement.created': '创建协议',
  'agreement.activated': '启用协议',
  'agreement.suspended': '暂停协议',
  'agreement.terminated': '终止协议',
  'agreement.keys_replaced': '更换协议密钥',
  'item.status_changed': '变更事项状态',
  'user.created': '创建用户',
  'auth.login_succeeded': '登录',
  'auth.login_failed': '登录失败',
  'auth.login_throttled': '登录受限（失败过多）',
  'auth.logout': '退出',
  'catalog.imported': '导入事项目录',
  'catalog.sample_loaded': '载入示例目录',
  'calendar.override_set': '设置工作日调整',
  'calendar.override_deleted': '删除工作日调整',
  'exchange.refused': '拒收对方报文',
  'outbox.dead_lettered': '发送失败转为死信',
  'outbox.resent': '重发死信',
  'keys.rotated': '轮换网关密钥',
}

/** A NumericDate (seconds) in Beijing time, or a dash. */
export const numericDate = (seconds: number | undefined) =>
  seconds === undefined ? '—' : beijingTime(new Date(seconds * 1000))

/** A duration for people: 3 天 4 小时, 2 小时 5 分, 40 秒. */
export function duration(seconds: number | null): string {
  if (seconds === null) return '—'
  const d = Math.floor(seconds / 86_400)
  const h = Math.floor((seconds % 86_400) / 3600)
  const m = Math.floor((seconds % 3600) / 60)
  if (d > 0) return `${d} 天 ${h} 小时`
  if (h > 0) return `${h} 小时 ${m} 分`
  if (m > 0) return `${m} 分`
  return `${seconds} 秒`
}

/** A rate 0–1 as a percentage with one decimal, or a dash before the first case. */
export const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`)

/** Where a redirect's `done` says what just happened. */
export const DONE_ZH: Record<string, string> = {
  agreement_created: '协议已创建（草稿）。核对无误后可启用。',
  agreement_activated: '协议已启用。',
  agreement_suspended: '协议已暂停。',
  agreement_terminated: '协议已终止。',
  keys_replaced: '对方公钥已更换，新版本已记录。',
  item_status: '事项状态已变更。',
  user_created: '用户已创建。',
  resent: '已重新放入发送队列。',
  resent_partner: '该合作方的死信已全部重新放入发送队列。',
  keys_rotated: '已生成新的网关签名密钥：现已公布，过渡期结束后开始签名。',
}

export const doneNotice = (done: string | undefined) =>
  done && DONE_ZH[done] ? { kind: 'ok' as const, text: DONE_ZH[done] } : undefined
