// The bad-input tests' check: a call (sync or async) fails with the SDK's typed error, never a
// plain TypeError, and its message says what was wrong.
import { expect } from 'vitest'
import { SymblError, ValidationError } from '../../src/errors.js'

/** Runs `call` (sync or async) and returns what it threw, failing the test if it succeeded. */
export async function thrown(call: () => unknown): Promise<Error> {
  try {
    await call()
  } catch (error) {
    return error as Error
  }
  throw new Error('the call succeeded, but it should have failed')
}

export async function expectTyped(
  call: () => unknown,
  message: RegExp,
  type: new (...a: never[]) => Error = ValidationError,
): Promise<void> {
  const error = await thrown(call)
  expect(error).not.toBeInstanceOf(TypeError)
  expect(error).toBeInstanceOf(SymblError)
  expect(error).toBeInstanceOf(type)
  expect(error.message).toMatch(message)
}
