import type { SymblClient } from '../client.js'
import type { RequestOptions } from '../http/types.js'
import { partLoader } from '../utils/load-part.js'
import type { TelephonyConnection } from './telephony-connection.js'
import type { PstnOptions, SipOptions, SubscriptionOptions, TelephonySpeakerEvent, TelephonyStopResponse } from './types.js'

/** The telephony code (dial.ts, which re-exports call-requests.ts), loaded on first use and kept (pushSpeakerEvent is called often): one chunk, not in `new Symbl()`. */
const telephonyPart = partLoader('telephony', () => import('./dial.js'))

/** The Telephony API (contract 5): have Symbl dial a phone number or a SIP URI and listen to the call. */
export class TelephonyApi {
  /** Options for the subscribe sockets of the calls started here (reconnect, keep-alive, `openTimeoutMs`, `stableMs`). */
  socketOptions: SubscriptionOptions = {}

  constructor(readonly client: SymblClient) {}

  /** Dials a phone number (`POST /v1/endpoint:connect`, `endpoint.type: 'pstn'`). `signal` and `timeout` apply to the start request. */
  async startPstn(options: PstnOptions): Promise<TelephonyConnection> {
    return (await telephonyPart()).dialPstn(this, options)
  }

  /** Joins over SIP (`endpoint.type: 'sip'`). `signal` and `timeout` apply to the start request. */
  async startSip(options: SipOptions): Promise<TelephonyConnection> {
    return (await telephonyPart()).dialSip(this, options)
  }

  /** Ends a call (`operation: 'stop'`); resolves with the server's answer (`summaryInfo` and ids). */
  stop(connectionId: string, options?: RequestOptions): Promise<TelephonyStopResponse>
  /** @deprecated Pass `{ signal }`: `stop(connectionId, { signal })`. The bare signal goes in the next release. */
  stop(connectionId: string, signal: AbortSignal): Promise<TelephonyStopResponse>
  async stop(connectionId: string, options?: RequestOptions | AbortSignal): Promise<TelephonyStopResponse> {
    return (await telephonyPart()).stopCall(this, connectionId, options)
  }

  /** Contract 5.3: `POST /v1/event/{connectionId}`. */
  async pushSpeakerEvent(connectionId: string, event: TelephonySpeakerEvent, options?: RequestOptions): Promise<unknown> {
    return (await telephonyPart()).pushSpeakerEvent(this, connectionId, event, options)
  }
}
