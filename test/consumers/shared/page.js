// What each browser consumer's page does: the round trip with a token from the page's own server
// (the app secret stays there), then the result where the runner reads it: window.__result and
// document.title ("ok" or "failed").
import { roundTrip } from './round-trip.js'

export function runPage(Symbl) {
  const api = new URLSearchParams(location.search).get('api')
  const run = async () => {
    if (Symbl.platform !== 'browser') throw new Error(`resolved the ${Symbl.platform} build, expected browser`)
    return roundTrip(Symbl, {
      baseUrl: api,
      tokenProvider: ({ rejectedToken }) =>
        fetch('/symbl-token', { headers: rejectedToken ? { 'x-symbl-rejected-token': rejectedToken } : {} }).then((r) => r.json()),
    })
  }
  run().then(
    (result) => {
      window.__result = result
      document.title = 'ok'
    },
    (error) => {
      window.__result = { ok: false, error: `${error?.name}: ${error?.message}` }
      document.title = 'failed'
    },
  )
}
