import { Layout, type LayoutProps } from '../components/layout.js'

/**
 * The one answer for a case that does not exist and for another department's case: the page
 * must not tell them apart.
 */
export function CaseNotFoundPage(props: Omit<LayoutProps, 'title' | 'children'>) {
  return (
    <Layout {...props} title="办件不存在">
      <p>没有找到这个办件。请检查办件编号，或回到收件箱查找。</p>
      <p>
        <a href="/console">返回收件箱</a>
      </p>
    </Layout>
  )
}
