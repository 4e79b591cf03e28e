import type { FieldError } from '../../lib/errors.js'
import { type PostedForm as FormBody, fileOf, text } from './form-values.js'

/** A JWKS of at most 10 public keys is a few kilobytes; anything much larger is not one. */
const MAX_JWKS_BYTES = 64 * 1024

/** The partner's public keys: pasted as JSON, or a .json file (the form is multipart). */
export function JwksField(props: { id: string; value: string; legend: string }) {
  return (
    <fieldset class="group">
      <legend>{props.legend}</legend>
      <label for={`${props.id}-text`}>粘贴 JWKS（JSON）</label>
      <textarea
        id={`${props.id}-text`}
        name="jwks"
        rows={8}
        class="mono"
        spellcheck={false}
        aria-describedby={`${props.id}-hint`}
        placeholder='{ "keys": [ { "kty": "EC", "crv": "P-256", "x": "…", "y": "…", "kid": "…", "alg": "ES256" } ] }'
      >
        {props.value}
      </textarea>
      <label for={`${props.id}-file`}>或上传 JWKS 文件（.json）</label>
      <input id={`${props.id}-file`} name="jwks_file" type="file" accept=".json,application/json" />
      <p id={`${props.id}-hint`} class="muted small">
        只接受公钥：EC P-256（ES256）或 Ed25519（EdDSA），每个须有 kid 和 alg，1 至 10
        个。上传了文件时以文件为准。
      </p>
    </fieldset>
  )
}

export interface JwksRead {
  /** What the form shows again on an error. */
  text: string
  jwks?: unknown
  error?: FieldError
}

/** The JWKS of the form: the uploaded file if there is one, else the pasted text. */
export async function readJwksField(form: FormBody, location: string): Promise<JwksRead> {
  const file = fileOf(form, 'jwks_file')
  if (file && file.size > MAX_JWKS_BYTES) {
    return { text: '', error: { location, code: 'too_big', message: 'file too large for a JWKS' } }
  }
  const body = file ? (await file.text()).trim() : text(form, 'jwks')
  if (!body) return { text: '', error: { location, code: 'required', message: 'required' } }
  try {
    return { text: body, jwks: JSON.parse(body) as unknown }
  } catch {
    return { text: body, error: { location, code: 'invalid_json', message: 'not JSON' } }
  }
}
