// captureMicrophone for the server entries (Node, Workers). A Next.js/Remix client component that
// imports captureMicrophone is also rendered on the server, where the package resolves to the Node
// (or edge) entry: without this export that build fails ("Export captureMicrophone doesn't exist").
// Calling it there is a mistake with a clear error, not a crash: capture needs a browser.
import type { MicrophoneHandle, MicrophoneOptions } from './types.js'
import { MicrophoneError } from './errors.js'

/**
 * Outside a browser: rejects with a `MicrophoneError` (`reason: 'worklet-unavailable'`). The browser
 * entry's captureMicrophone captures; see MicrophoneOptions and MicrophoneHandle.
 */
export async function captureMicrophone(_options: MicrophoneOptions): Promise<MicrophoneHandle> {
  throw new MicrophoneError(
    'worklet-unavailable',
    'captureMicrophone needs a browser (getUserMedia and an AudioWorklet), and this is the server build of symbl-sdk. ' +
      'In a server-rendered app call it from browser-only code, e.g. in a useEffect or an event handler of a client component',
  )
}
