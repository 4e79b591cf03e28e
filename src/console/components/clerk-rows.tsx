import { fieldId, SelectField, TextField } from './clerk-fields.js'
import { carriedFile } from './clerk-form-values.js'
import type { Problems } from './clerk-problems.js'

/** Problems at a pointer and everything under it (`/materials/0/file` takes `/materials/0/file/content`). */
export function problemsUnder(problems: Problems, pointer: string): string[] {
  const out: string[] = []
  for (const [at, list] of problems) if (at === pointer || at.startsWith(`${pointer}/`)) out.push(...list)
  return out
}

/** One repeatable row's index: a number when rendered here, `__n__` in the template (app.js numbers it). */
type RowIndex = number | '__n__'

/**
 * Rows of a repeatable group, an "add a row" button and the row template it clones
 * (app.js, `data-add-row`): without script the rendered rows are all there is.
 */
export function Repeatable(props: {
  id: string
  rows: unknown[]
  addLabel: string
  render: (i: RowIndex) => unknown
}) {
  return (
    <div class="rows">
      {props.rows.map((_, i) => props.render(i))}
      <button type="button" class="secondary" data-add-row={`${props.id}-tpl`}>
        {props.addLabel}
      </button>
      <template id={`${props.id}-tpl`}>{props.render('__n__')}</template>
    </div>
  )
}

export interface MaterialRowValue {
  code: string
  name: string
  original: '0' | '1'
  /** A file already uploaded with a refused form (clerk-form-values.ts, carriedFile). */
  carry: string
}

export const EMPTY_MATERIAL: MaterialRowValue = { code: '', name: '', original: '0', carry: '' }

/** Material rows (`materials.code`, `.name`, `.original`, `.file`, `.carry`), located at `/materials/<i>`. */
export function MaterialRows(props: {
  prefix: string
  rows: MaterialRowValue[]
  problems: Problems
  /** The first row must be filled in. */
  requireOne?: boolean
}) {
  const row = (i: RowIndex) => {
    const v = typeof i === 'number' ? (props.rows[i] ?? EMPTY_MATERIAL) : EMPTY_MATERIAL
    const at = (f: string) => `/materials/${i}/${f}`
    const id = (f: string) => fieldId(props.prefix, at(f))
    const carried = carriedFile(v.carry)
    const required = props.requireOne === true && i === 0
    return (
      <fieldset class="row">
        <legend>{typeof i === 'number' ? `材料 ${i + 1}` : '新增材料'}</legend>
        <TextField
          id={id('code')}
          name="materials.code"
          label="材料编码"
          value={v.code}
          maxlength={32}
          required={required}
          problems={props.problems.get(at('code'))}
        />
        <TextField
          id={id('name')}
          name="materials.name"
          label="材料名称"
          value={v.name}
          maxlength={100}
          required={required}
          problems={props.problems.get(at('name'))}
        />
        <SelectField
          id={id('original')}
          name="materials.original"
          label="原件"
          value={v.original}
          options={[
            ['0', '否（复印件或电子件）'],
            ['1', '是（纸质原件随后寄送）'],
          ]}
        />
        <TextField
          id={id('file')}
          name="materials.file"
          label="文件"
          type="file"
          required={required && !carried}
          hint={carried ? `已上传：${carried.name}（不重新选择则沿用）` : undefined}
          problems={problemsUnder(props.problems, at('file'))}
        />
        <input type="hidden" name="materials.carry" value={v.carry} />
      </fieldset>
    )
  }
  return (
    <Repeatable
      id={`${props.prefix}-materials`}
      rows={props.rows.length ? props.rows : [EMPTY_MATERIAL]}
      addLabel="添加一份材料"
      render={row}
    />
  )
}

export interface CorrectionRowValue {
  code: string
  name: string
  note: string
}

/** The materials a correction asks for (`correction.code`, `.name`, `.note`), at `/correction/<i>`. */
export function CorrectionRows(props: { prefix: string; rows: CorrectionRowValue[]; problems: Problems }) {
  const empty: CorrectionRowValue = { code: '', name: '', note: '' }
  const rows = [...props.rows]
  while (rows.length < 3) rows.push(empty)
  const row = (i: RowIndex) => {
    const v = typeof i === 'number' ? (rows[i] ?? empty) : empty
    const at = (f: string) => `/correction/${i}/${f}`
    const id = (f: string) => fieldId(props.prefix, at(f))
    return (
      <fieldset class="row">
        <legend>{typeof i === 'number' ? `补正材料 ${i + 1}` : '新增补正材料'}</legend>
        <TextField
          id={id('code')}
          name="correction.code"
          label="材料编码"
          value={v.code}
          maxlength={32}
          problems={props.problems.get(at('code'))}
        />
        <TextField
          id={id('name')}
          name="correction.name"
          label="材料名称"
          value={v.name}
          maxlength={100}
          problems={props.problems.get(at('name'))}
        />
        <TextField
          id={id('note')}
          name="correction.note"
          label="补正要求"
          value={v.note}
          maxlength={500}
          problems={props.problems.get(at('note'))}
        />
      </fieldset>
    )
  }
  return <Repeatable id={`${props.prefix}-correction`} rows={rows} addLabel="添加一行" render={row} />
}
