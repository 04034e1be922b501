'use client'
// The client component: the browser entry of symbl-sdk (the runner checks Symbl.platform and that no Node
// code reached the client chunks), the round trip with tokens from the route handler, and the
// microphone code path bundled (captureMicrophone is imported and referenced; no microphone is opened).
import { useEffect, useState } from 'react'
import { captureMicrophone, Symbl } from 'symbl-sdk'
import { roundTrip } from '../../shared/round-trip.js'

export function Captions() {
  const [state, setState] = useState('starting')
  useEffect(() => {
    const api = new URLSearchParams(location.search).get('api')
    const run = async () => {
      if (Symbl.platform !== 'browser') throw new Error(`resolved the ${Symbl.platform} build, expected browser`)
      if (typeof captureMicrophone !== 'function') throw new Error('captureMicrophone is not in the browser build')
      return roundTrip(Symbl, {
        baseUrl: api,
        tokenProvider: ({ rejectedToken }) =>
          fetch('/api/symbl-token', { headers: rejectedToken ? { 'x-symbl-rejected-token': rejectedToken } : {} }).then((r) => r.json()),
      })
    }
    run().then(
      (result) => {
        window.__result = result
        setState(`done: ${result.conversationId}`)
      },
      (error) => {
        window.__result = { ok: false, error: `${error?.name}: ${error?.message}` }
        setState('failed')
      },
    )
  }, [])
  return <p id="state">{state}</p>
}
