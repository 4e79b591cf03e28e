import { z } from 'zod'
import type { PublicUser } from '../../modules/auth/create-user.js'
import type { Department } from '../../modules/catalog/model.js'
import { ErrorBox, type ErrorView } from '../components/admin-form-errors.js'
import { ROLE_ZH } from '../components/admin-labels.js'
import { type PostedForm as FormBody, text, texts } from '../components/form-values.js'
import { Layout, type LayoutProps } from '../components/layout.js'

/** The same rules as POST /v1/users (modules/auth/routes.ts): the form is no back door around them. */
export const UserForm = z.object({
  username: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, . _ - only'),
  password: z.string().min(10, 'at least 10 characters').max(1024),
  role: z.enum(['admin', 'clerk']),
  department: z.string().min(1).max(64).optional(),
})

export interface UserFormState {
  username: string
  role: string
  department: string
}

export function readUserForm(form: FormBody): { state: UserFormState; raw: Record<string, unknown> } {
  const state = {
    username: text(form, 'username'),
    role: text(form, 'role'),
    department: text(form, 'department'),
  }
  const raw = {
    username: state.username,
    password: texts(form, 'password')[0] ?? '',
    role: state.role,
    ...(state.department ? { department: state.department } : {}),
  }
  return { state, raw }
}

export const USER_FIELD_ZH: Record<string, string> = {
  '/username': '用户名',
  '/password': '初始密码',
  '/role': '角色',
  '/department': '部门',
}

export function UsersPage(
  props: Omit<LayoutProps, 'title' | 'children'> & {
    users: (PublicUser & { disabled: boolean })[]
    departments: Department[]
    state?: UserFormState | undefined
    error?: ErrorView | undefined
  },
) {
  const names = new Map(props.departments.map((d) => [d.code, d.name]))
  const s = props.state ?? { username: '', role: 'clerk', department: '' }
  return (
    <Layout {...props} title="用户" current="/console/admin/users">
      <table class="responsive">
        <caption class="sr-only">用户列表</caption>
        <thead>
          <tr>
            <th>用户名</th>
            <th>角色</th>
            <th>部门</th>
            <th>状态</th>
          </tr>
        </thead>
        <tbody>
          {props.users.map((u) => (
            <tr>
              <td data-label="用户名">{u.username}</td>
              <td data-label="角色">{ROLE_ZH[u.role] ?? u.role}</td>
              <td data-label="部门">{u.department ? (names.get(u.department) ?? u.department) : '—'}</td>
              <td data-label="状态">{u.disabled ? <span class="tag red">已停用</span> : '正常'}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2 id="h-new-user">新建用户</h2>
      <ErrorBox view={props.error} />
      <form method="post" action="/console/admin/users" class="card narrow" aria-labelledby="h-new-user">
        <input type="hidden" name="_csrf" value={props.csrf} />
        <label for="username">用户名（字母、数字及 . _ -）</label>
        <input id="username" name="username" value={s.username} autocomplete="off" required />
        <label for="password">初始密码（至少 10 个字符）</label>
        <input id="password" name="password" type="password" autocomplete="new-password" required />
        <label for="role">角色</label>
        <select id="role" name="role">
          <option value="clerk" selected={s.role !== 'admin'}>
            窗口人员（只处理本部门办件）
          </option>
          <option value="admin" selected={s.role === 'admin'}>
            管理员
          </option>
        </select>
        <label for="department">部门（窗口人员必选）</label>
        <select id="department" name="department">
          <option value="">（无）</option>
          {props.departments.map((d) => (
            <option value={d.code} selected={s.department === d.code}>
              {d.name}
            </option>
          ))}
        </select>
        <p>
          <button type="submit">创建用户</button>
        </p>
      </form>
    </Layout>
  )
}
