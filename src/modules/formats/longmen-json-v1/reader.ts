/**
 * Field readers for Longmen documents: each reads one member of a parsed JSON object, records a
 * located error when it is wrong and returns the value or undefined. They never throw, so one
 * pass collects every problem of a document (the partner fixes them all in one round).
 */
import type { FieldError } from '../../../lib/errors.js'
import { joinPointer } from '../../../lib/strict-json.js'
import type { ParseResult } from '../canonical.js'
import type { CodeList } from '../shared/code-lists.js'
import { dateFromDigits, fromBeijingDigits } from '../shared/times.js'

export type Obj = Record<string, unknown>

/** Longmen code → canonical value. A Map, so a code like `constructor` finds nothing inherited. */
export function longmenCodes<C extends string>(list: CodeList<C>): ReadonlyMap<string, C> {
  return new Map(list.map((e) => [e.longmen, e.canonical]))
}

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

export class Reader {
  readonly errors: FieldError[] = []

  fail(location: string, code: string, message: string): undefined {
    this.errors.push({ location, code, message })
    return undefined
  }

  result<T>(value: () => T): ParseResult<T> {
    return this.errors.length > 0
      ? { ok: false, code: 'payload_invalid', errors: this.errors }
      : { ok: true, value: value() }
  }

  /** For an early return: the errors recorded so far, which the caller knows are not empty. */
  refused(): ParseResult<never> {
    return { ok: false, code: 'payload_invalid', errors: this.errors }
  }

  /** An object whose keys are all in `fields`; unknown keys are reported, the object is still read. */
  record(value: unknown, path: string, fields: readonly string[] | 'any'): Obj | undefined {
    if (!isObj(value)) return this.fail(path, 'type', 'must be an object')
    if (fields !== 'any') {
      for (const key of Object.keys(value)) {
        if (!fields.includes(key)) this.fail(joinPointer(path, key), 'unknown', 'unknown field')
      }
    }
    return value
  }

  /** The raw member, or undefined (with `required` reported) when absent. */
  member(obj: Obj, path: string, key: string, required: boolean): unknown {
    if (Object.hasOwn(obj, key)) return obj[key]
    if (required) this.fail(joinPointer(path, key), 'required', 'required field is missing')
    return undefined
  }

  /** A string that is not blank. Blank counts as missing for a required field. */
  text(obj: Obj, path: string, key: string, required = true): string | undefined {
    const v = this.member(obj, path, key, required)
    if (v === undefined) return undefined
    const at = joinPointer(path, key)
    if (typeof v !== 'string') return this.fail(at, 'type', 'must be a string')
    if (v.trim() === '') return this.fail(at, required ? 'required' : 'format', 'must not be blank')
    return v
  }

  /** Any string, empty included (base64 content, e-form values). */
  string(obj: Obj, path: string, key: string): string | undefined {
    const v = this.member(obj, path, key, true)
    if (v === undefined) return undefined
    if (typeof v !== 'string') return this.fail(joinPointer(path, key), 'type', 'must be a string')
    return v
  }

  /** A text that must pass `test`, else `format`. */
  matching(obj: Obj, path: string, key: string, test: (s: string) => boolean, required = true) {
    const v = this.text(obj, path, key, required)
    if (v === undefined || test(v)) return v
    return this.fail(joinPointer(path, key), 'format', 'invalid format')
  }

  code<C>(
    obj: Obj,
    path: string,
    key: string,
    codes: ReadonlyMap<string, C>,
    required = true,
  ): C | undefined {
    const v = this.text(obj, path, key, required)
    if (v === undefined) return undefined
    const value = codes.get(v)
    if (value !== undefined) return value
    return this.fail(joinPointer(path, key), 'enum', `must be one of ${[...codes.keys()].join(', ')}`)
  }

  /** A JSON number that is an integer in [min, max]; a numeric string is a `type` error. */
  integer(
    obj: Obj,
    path: string,
    key: string,
    min: number,
    max = Number.MAX_SAFE_INTEGER,
  ): number | undefined {
    const v = this.member(obj, path, key, true)
    if (v === undefined) return undefined
    const at = joinPointer(path, key)
    if (typeof v !== 'number') return this.fail(at, 'type', 'must be a number')
    if (!Number.isInteger(v) || v < min || v > max) {
      return this.fail(at, 'format', `must be an integer from ${min} to ${max}`)
    }
    return v
  }

  /** `yyyyMMddHHmmss` in Beijing time → canonical ISO time. */
  time(obj: Obj, path: string, key: string): string | undefined {
    const v = this.text(obj, path, key)
    if (v === undefined) return undefined
    const at = joinPointer(path, key)
    if (!/^\d{14}$/.test(v)) return this.fail(at, 'format', 'must be yyyyMMddHHmmss')
    return fromBeijingDigits(v) ?? this.fail(at, 'date', 'no such date or time')
  }

  /** `yyyyMMdd` → `YYYY-MM-DD`. */
  date(obj: Obj, path: string, key: string, required = true): string | undefined {
    const v = this.text(obj, path, key, required)
    if (v === undefined) return undefined
    const at = joinPointer(path, key)
    if (!/^\d{8}$/.test(v)) return this.fail(at, 'format', 'must be yyyyMMdd')
    return dateFromDigits(v) ?? this.fail(at, 'date', 'no such date')
  }

  /** A non-empty array; each element is read by `item` at its own pointer. */
  list<T>(
    obj: Obj,
    path: string,
    key: string,
    required: boolean,
    item: (v: unknown, at: string) => T | undefined,
  ) {
    const v = this.member(obj, path, key, required)
    if (v === undefined) return undefined
    const at = joinPointer(path, key)
    if (!Array.isArray(v)) return this.fail(at, 'type', 'must be an array')
    if (v.length === 0) return this.fail(at, 'required', 'must list at least one entry')
    const out = v.map((e, i) => item(e, joinPointer(at, i)))
    return out.every((e) => e !== undefined) ? (out as T[]) : undefined
  }
}

/** Drops undefined members so a canonical value carries only what the document said. */
export function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T
}
