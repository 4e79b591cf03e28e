/** The console's words for the API's codes. */
export const STATE_ZH: Record<string, string> = {
  submitted: '已发送',
  received: '已接件',
  accepted: '已受理',
  rejected: '不予受理',
  correction_requested: '待补正',
  correction_submitted: '已补正',
  in_process: '办理中',
  suspended: '特别程序',
  concluded: '已办结',
  delivered: '已送达',
  withdrawn: '已撤回',
}

export const EVENT_ZH: Record<string, string> = {
  received: '接件',
  accepted: '受理',
  rejected: '不予受理',
  correction_requested: '补正告知',
  correction_submitted: '补正提交',
  in_process: '开始办理',
  suspended: '特别程序开始',
  resumed: '特别程序结束',
  concluded: '办结',
  delivered: '送达',
  withdrawn: '撤回',
}

export const DELIVERY_ZH: Record<string, string> = {
  pending: '待发送',
  retrying: '重试中',
  delivered: '已送达对方',
  dead: '发送失败（死信）',
}

export const PARTNER_ZH: Record<string, string> = {
  '440117': '从化区',
  '441324': '龙门县',
  '440233': '新丰县',
}
export const OUTCOME_ZH: Record<string, string> = {
  approved: '准予/出证',
  denied: '不予许可',
  voided: '作废',
  transferred: '转报',
}
export const ID_TYPE_ZH: Record<string, string> = {
  resident_id: '居民身份证',
  passport: '护照',
  hk_macao_permit: '港澳居民来往内地通行证',
  taiwan_permit: '台湾居民来往大陆通行证',
  uscc: '统一社会信用代码',
}
export const DELIVERY_METHOD_ZH: Record<string, string> = {
  window: '窗口领取',
  mail: '邮寄',
  online: '电子送达',
}
export const ITEM_STATUS_ZH: Record<string, string> = {
  catalogued: '已编目',
  online: '已上线',
  paused: '暂停',
  retired: '已撤销',
}
export const AGREEMENT_STATUS_ZH: Record<string, string> = {
  draft: '草稿',
  active: '生效',
  suspended: '暂停',
  terminated: '终止',
}

/** An identity number masked but its last four (440233********123X). */
export function maskId(id: string): string {
  return id.length <= 4 ? id : `${'*'.repeat(id.length - 4)}${id.slice(-4)}`
}

/** An instant in Beijing time for people: 2026-11-28 10:02. */
export function beijingTime(iso: string | Date | null | undefined): string {
  if (!iso) return ''
  const d = new Date(new Date(iso).getTime() + 8 * 3600_000)
  return d.toISOString().slice(0, 16).replace('T', ' ')
}
