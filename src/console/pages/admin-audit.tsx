import type { AuditEntryRow } from '../../modules/audit/repository.js'
import type { ChainReport } from '../../modules/audit/verify-chain.js'
import { AUDIT_ACTION_ZH } from '../components/admin-labels.js'
import { Layout, type LayoutProps } from '../components/layout.js'
import { beijingTime } from '../labels.js'

export const AUDIT_PAGE = 50

/** verify-chain.ts's reasons, in Chinese; an unknown one is shown as it is. */
const REASONS: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^entry (\d+) is missing \(next is (\d+)\)/, (m) => `第 ${m[1]} 条记录缺失（下一条是第 ${m[2]} 条）`],
  [/^previous-hash link does not match/, () => '与前一条记录的哈希链接不符'],
  [/^content does not match its hash/, () => '内容与其哈希不符（已被修改）'],
  [
    /^head says (\d+) entries, chain has (\d+)/,
    (m) => `链头记载 ${m[1]} 条，实际只有 ${m[2]} 条（末尾被截断）`,
  ],
  [/^checkpoint: signed by an unknown key/, () => '检查点由未知密钥签名'],
  [/^checkpoint: row differs from its signed content/, () => '检查点记录与其签名内容不符'],
  [/^checkpoint: signature does not verify/, () => '检查点签名无法验证'],
  [/beyond the chain's end/, () => '签名检查点超出链尾（末尾被截断）'],
  [/^signed checkpoint hash differs from the chain/, () => '签名检查点的哈希与链不符'],
]

export function chainReasonZh(reason: string): string {
  for (const [re, zh] of REASONS) {
    const m = re.exec(reason)
    if (m) return zh(m)
  }
  return reason
}

function ChainBanner({ report }: { report: ChainReport | undefined }) {
  if (!report) {
    return (
      <p class="notice">
        完整性校验只在第一页进行。<a href="/console/admin/audit">回到最新记录并校验</a>
      </p>
    )
  }
  if (report.ok) {
    return (
      <p class="notice ok" role="status">
        审计链完整：共 {report.entries} 条记录，{report.checkpoints} 个签名检查点，均校验通过。
      </p>
    )
  }
  return (
    <p class="notice error" role="alert">
      审计链在第 {report.firstBroken?.seq} 条记录处断裂：{chainReasonZh(report.firstBroken?.reason ?? '')}。
      （此前 {report.entries} 条记录校验通过，共 {report.checkpoints} 个签名检查点）
    </p>
  )
}

export function AuditPage(
  props: Omit<LayoutProps, 'title' | 'children'> & {
    entries: AuditEntryRow[]
    report: ChainReport | undefined
    before: number | undefined
  },
) {
  const last = props.entries.at(-1)
  return (
    <Layout {...props} title="审计日志" current="/console/admin/audit">
      <ChainBanner report={props.report} />
      <p class="muted small">
        也可在服务器上运行 <code>npm run audit:verify</code> 校验。记录只增不改，每条都带前一条的哈希。
      </p>
      {props.entries.length === 0 ? (
        <p class="muted">没有记录。</p>
      ) : (
        <table class="responsive">
          <caption class="sr-only">审计记录，最新的在前</caption>
          <thead>
            <tr>
              <th class="num">序号</th>
              <th>时间</th>
              <th>操作者</th>
              <th>操作</th>
              <th>对象</th>
              <th>数据</th>
            </tr>
          </thead>
          <tbody>
            {props.entries.map((e) => (
              <tr>
                <td data-label="序号" class="num">
                  {e.seq}
                </td>
                <td data-label="时间" class="nowrap">
                  {beijingTime(e.at)}
                </td>
                <td data-label="操作者" class="wrap">
                  {e.actor}
                </td>
                <td data-label="操作">
                  {AUDIT_ACTION_ZH[e.action] ?? ''}
                  <br />
                  <code class="muted small">{e.action}</code>
                </td>
                <td data-label="对象" class="wrap">
                  <code>{e.subject}</code>
                </td>
                <td data-label="数据">
                  <pre class="data">{JSON.stringify(e.data)}</pre>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p class="pager">
        {props.before !== undefined && <a href="/console/admin/audit">最新记录</a>}{' '}
        {last && last.seq > 1 && props.entries.length === AUDIT_PAGE && (
          <a href={`/console/admin/audit?before=${last.seq}`} rel="next">
            更早的记录
          </a>
        )}
      </p>
    </Layout>
  )
}
