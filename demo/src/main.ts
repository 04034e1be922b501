// The demo page: loads the config from the demo server, creates one SDK client and wires the tabs.
import { createClient, loadConfig } from './client.js'
import { setupLive } from './live.js'
import { setupRecorded } from './recorded.js'
import { $, showError } from './ui.js'

const errors = $('#error')
const pill = $('#connection-state')

function setState(state: string, text: string): void {
  pill.dataset.state = state
  pill.textContent = text
}

function selectTab(tab: HTMLElement, focus = false): void {
  for (const t of document.querySelectorAll<HTMLElement>('[role="tab"]')) {
    const on = t === tab
    t.setAttribute('aria-selected', String(on))
    t.tabIndex = on ? 0 : -1
    $(`#${t.getAttribute('aria-controls')}`).hidden = !on
  }
  if (focus) tab.focus()
}

function setupTabs(): void {
  const tabs = [...document.querySelectorAll<HTMLElement>('[role="tab"]')]
  tabs.forEach((tab, i) => {
    tab.addEventListener('click', () => selectTab(tab))
    tab.addEventListener('keydown', (e) => {
      const next =
        e.key === 'ArrowRight'
          ? i + 1
          : e.key === 'ArrowLeft'
            ? i - 1
            : e.key === 'Home'
              ? 0
              : e.key === 'End'
                ? tabs.length - 1
                : undefined
      if (next === undefined) return
      e.preventDefault()
      selectTab(tabs[(next + tabs.length) % tabs.length], true)
    })
  })
}

async function main(): Promise<void> {
  setupTabs()
  const mode = $('#mode')
  try {
    const config = await loadConfig()
    mode.dataset.mode = config.mode
    mode.textContent =
      config.mode === 'emulator'
        ? `Local emulator at ${config.baseUrl} (offline; no real speech recognition)`
        : /^https:\/\/api\.symbl\.ai\b/.test(config.baseUrl)
          ? `Symbl API at ${config.baseUrl}`
          : `Symbl-compatible API at ${config.baseUrl}`
    const symbl = createClient(config)
    const recorded = setupRecorded(symbl, config, errors)
    const live = setupLive(symbl, config, errors, setState, (conversation) => {
      selectTab($('#tab-recorded'), true)
      void recorded.show(conversation)
    })
    window.addEventListener('pagehide', () => void live.stop())
    document.body.dataset.ready = 'true'
  } catch (error) {
    mode.dataset.mode = 'error'
    mode.textContent = 'Not connected to the demo server'
    showError(errors, 'The demo could not start', error)
  }
}

void main()
