// What a secret leak looks like to the tests: any piece of 8 characters of a secret in anything
// an app could print, log or send on (message, stack, own properties, the cause chain).
import { inspect } from 'node:util'

/** Everything of `value` an app could see: util.inspect at full depth, JSON, and each error's message and stack along the cause chain. */
export function exposed(value: unknown): string {
  const parts: string[] = [inspect(value, { depth: Infinity, showHidden: true, getters: true })]
  try {
    parts.push(JSON.stringify(value) ?? '')
  } catch {
    // A cycle: util.inspect above covers it.
  }
  for (let e = value as { cause?: unknown } | undefined, depth = 0; e && depth < 6; e = e.cause as typeof e, depth++) {
    if (e instanceof Error) parts.push(e.message, String(e.stack))
  }
  return parts.join('\n')
}

/** The first 8-character piece of `secret` found in `text`, or undefined. */
export function leakedPiece(text: string, secret: string): string | undefined {
  for (let i = 0; i + 8 <= secret.length; i++) if (text.includes(secret.slice(i, i + 8))) return secret.slice(i, i + 8)
  return undefined
}
