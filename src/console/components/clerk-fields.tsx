import type { Child } from 'hono/jsx'

/** An element id from a form prefix and a JSON Pointer: (`ev`, `/result/outcome`) → `ev-result-outcome`. */
export const fieldId = (prefix: string, pointer: string) =>
  `${prefix}${pointer.replace(/[^A-Za-z0-9_]+/g, '-')}`.replace(/-+$/, '')

interface Common {
  id: string
  name: string
  label: Child
  hint?: string | undefined
  problems?: readonly string[] | undefined
  required?: boolean | undefined
  /** The wrapper's class (default `field`). */
  class?: string | undefined
}

function described(c: Common) {
  const ids = [c.hint ? `${c.id}-hint` : '', c.problems?.length ? `${c.id}-error` : ''].filter(Boolean)
  return ids.length ? ids.join(' ') : undefined
}

function Label(c: Common) {
  return (
    <label for={c.id}>
      {c.label}
      {c.required && (
        <span class="req" aria-hidden="true">
          {' '}
          *
        </span>
      )}
    </label>
  )
}

function After(c: Common) {
  return (
    <>
      {c.hint && (
        <span class="hint" id={`${c.id}-hint`}>
          {c.hint}
        </span>
      )}
      {c.problems && c.problems.length > 0 && (
        <span class="field-error" id={`${c.id}-error`}>
          {c.problems.join('；')}
        </span>
      )}
    </>
  )
}

export function TextField(
  props: Common & {
    value?: string | undefined
    type?: 'text' | 'tel' | 'file' | 'date'
    autocomplete?: string
    inputmode?: 'numeric' | 'tel' | 'text'
    maxlength?: number
    pattern?: string
    placeholder?: string
    accept?: string
  },
) {
  return (
    <div class={props.class ?? 'field'}>
      <Label {...props} />
      <input
        id={props.id}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.type === 'file' ? undefined : (props.value ?? '')}
        required={props.required}
        autocomplete={props.autocomplete}
        inputmode={props.inputmode}
        maxlength={props.maxlength}
        pattern={props.pattern}
        placeholder={props.placeholder}
        accept={props.accept}
        aria-invalid={props.problems?.length ? 'true' : undefined}
        aria-describedby={described(props)}
      />
      <After {...props} />
    </div>
  )
}

export function TextAreaField(
  props: Common & { value?: string | undefined; maxlength?: number; rows?: number },
) {
  return (
    <div class={props.class ?? 'field'}>
      <Label {...props} />
      <textarea
        id={props.id}
        name={props.name}
        rows={props.rows ?? 3}
        required={props.required}
        maxlength={props.maxlength}
        aria-invalid={props.problems?.length ? 'true' : undefined}
        aria-describedby={described(props)}
      >
        {props.value ?? ''}
      </textarea>
      <After {...props} />
    </div>
  )
}

export function SelectField(
  props: Common & {
    value?: string | undefined
    options: readonly (readonly [string, string])[]
    /** A first, empty choice ("请选择"). */
    empty?: string
  },
) {
  return (
    <div class={props.class ?? 'field'}>
      <Label {...props} />
      <select
        id={props.id}
        name={props.name}
        required={props.required}
        aria-invalid={props.problems?.length ? 'true' : undefined}
        aria-describedby={described(props)}
      >
        {props.empty !== undefined && <option value="">{props.empty}</option>}
        {props.options.map(([value, text]) => (
          <option value={value} selected={value === props.value}>
            {text}
          </option>
        ))}
      </select>
      <After {...props} />
    </div>
  )
}
