// Headless Chromium for the benchmarks that open a page with a microphone: Debian's build (or
// CHROMIUM_PATH), the fake microphone granted without a prompt, audio allowed to start unprompted.
import { type Browser, chromium } from 'playwright-core'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** Launches it; `audioFile` (a WAV path) replaces the fake microphone's beep with that recording. */
export function launchChromium(audioFile?: string): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      ...(audioFile === undefined ? [] : [`--use-file-for-fake-audio-capture=${audioFile}`]),
      '--autoplay-policy=no-user-gesture-required',
    ],
  })
}
