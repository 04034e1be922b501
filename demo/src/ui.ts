// Small DOM helpers shared by the tabs: element lookup, building elements, plain-words errors.
import { HttpError, SymblError } from 'symbl-sdk'

export function $<T extends HTMLElement = HTMLElement>(selector: string, root: ParentNode = document): T {
  const el = root.querySelector<T>(selector)
  if (!el) throw new Error(`The page is missing ${selector}`)
  return el
}

type Child = Node | string | null | undefined | false

/** `h('li', { class: 'x' }, 'text', child)`; attributes starting with "on" are not supported on purpose. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number | boolean | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag)
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue
    el.setAttribute(name, value === true ? '' : String(value))
  }
  for (const child of children) if (child !== null && child !== undefined && child !== false) el.append(child)
  return el
}

/** Replaces the contents of a list with items, or one "empty" line. */
export function fillList(list: HTMLElement, items: Node[], empty: string): void {
  list.replaceChildren(...(items.length ? items : [h('li', { class: 'empty' }, empty)]))
}

/** Shows an error in the page's alert region, in plain words. */
export function showError(region: HTMLElement, what: string, error: unknown): void {
  const p = h('p', {}, h('strong', {}, `${what}: `), explain(error))
  region.replaceChildren(p, closeButton(region))
  region.hidden = false
  region.scrollIntoView({ block: 'nearest', behavior: 'smooth' })
}

export function clearError(region: HTMLElement): void {
  region.replaceChildren()
  region.hidden = true
}

function closeButton(region: HTMLElement): HTMLButtonElement {
  const button = h('button', { type: 'button', class: 'link' }, 'Dismiss')
  button.addEventListener('click', () => clearError(region))
  return button
}

/** Turns any failure into a sentence a person can act on. */
export function explain(error: unknown): string {
  if (error instanceof SymblError) {
    const reason = (error as { reason?: string }).reason
    if (error.code === 'microphone' && reason === 'permission-denied') {
      return 'The browser did not allow the microphone. Allow it in the address bar (the camera/microphone icon) and try again.'
    }
    if (error.code === 'microphone' && reason === 'no-device') return `No usable microphone: ${error.message}.`
    if (error.code === 'network') return 'The Symbl API (or the local emulator) could not be reached. Is `npm run demo` still running?'
    if (error.code === 'auth' && error instanceof HttpError)
      return 'The API refused the token. Check SYMBL_APP_ID and SYMBL_APP_SECRET on the demo server.'
    if (error instanceof HttpError) {
      // Its message starts with the method and the full request URL (query string and all): not for people.
      const said = error.serverMessage ? ` It said: “${error.serverMessage.replace(/\.$/, '')}”.` : ''
      if (error.status >= 500) return `The API had a problem (HTTP ${error.status}) and could not finish.${said} Try again in a moment.`
      if (error.code === 'rate_limit')
        return `The API is busy with too many jobs or connections for this account (HTTP 429). Wait a little and try again.`
      if (error.code === 'not_found') return `The API does not know this conversation or job (HTTP 404).${said}`
      return `The API did not accept the request (HTTP ${error.status}).${said}`
    }
    return error.message
  }
  if (error instanceof TypeError && /fetch|network|load failed/i.test(error.message)) {
    return 'The demo server could not be reached. Is `npm run demo` still running?'
  }
  return error instanceof Error ? error.message : String(error)
}

export function formatSeconds(seconds: number): string {
  const s = Math.max(0, Math.round(seconds))
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`
}

/** Stable colours per speaker (checked for contrast on white, and told apart by marker shape too). */
export const SPEAKER_COLOURS = ['#1f5fbf', '#b3261e', '#1b7f3b', '#8a4baf', '#a15c00', '#00727a']

export function speakerColour(index: number): string {
  return SPEAKER_COLOURS[index % SPEAKER_COLOURS.length]
}
