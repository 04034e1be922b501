// Argument checks shared by every area. Each bad input gets a ValidationError that names the
// argument, says what it should be and shows what it got; the wording is composed here once so
// the many checks of the SDK do not each carry their own copy of it.
import { ValidationError } from '../errors.js'

/** A short, safe description of a value for an error message. */
export function describe(value: unknown): string {
  if (value === null) return 'null'
  if (value === undefined) return 'undefined'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'string') return value === '' ? 'an empty string' : `the string ${JSON.stringify(value.slice(0, 40))}`
  if (typeof value === 'function') return 'a function'
  if (typeof value === 'symbol') return 'a symbol'
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`
}

/** Throws `ValidationError("{name} must be {expected}, got {what value is}")`. */
export function invalid(name: string, expected: string, value: unknown): never {
  throw new ValidationError(`${name} must be ${expected}, got ${describe(value)}`)
}

/**
 * JSON text for a value the SDK sends (a request body, a query parameter holding a list or an
 * object). A circular reference or a BigInt would otherwise throw a bare TypeError from deep in
 * the request, which the SDK reported as a network failure.
 */
export function toJson(name: string, value: unknown): string {
  try {
    return JSON.stringify(value)
  } catch (error) {
    throw new ValidationError(
      `${name} cannot be sent as JSON (${(error as Error)?.message?.split('\n')[0] ?? String(error)}): pass plain data, without circular references, BigInts or class instances that refuse JSON`,
    )
  }
}

/** A plain object: not null, not an array. */
export const isObject = (value: unknown): boolean => !!value && typeof value === 'object' && !Array.isArray(value)

/** `value` is absent or a plain object; else throws `{name} must be an object such as {example}`. */
export function optionalObject(name: string, example: string, value: unknown): void {
  if (value !== undefined && !isObject(value)) invalid(name, `an object such as ${example}`, value)
}
