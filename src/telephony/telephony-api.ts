import type { SymblClient } from '../client.js'
import { ValidationError } from '../errors.js'
import { describe, invalid } from '../http/check.js'
import { optionsOrSignal, requestOptions } from '../http/request-options.js'
import type { RequestOptions } from '../http/types.js'
import { pathId } from '../http/url.js'
import { loadPart } from '../utils/load-part.js'
import { CONNECT } from './endpoint.js'
import type { TelephonyConnection } from './telephony-connection.js'
import type { PstnOptions, SipOptions, SubscriptionOptions, TelephonySpeakerEvent, TelephonyStopResponse } from './types.js'

const SPEAKER_EVENTS = ['started_speaking', 'stopped_speaking', 'joined', 'left']

/** The Telephony API (contract 5): have Symbl dial a phone number or a SIP URI and listen to the call. */
export class TelephonyApi {
  /** Options for the subscribe sockets of the calls started here (reconnect, keep-alive, `openTimeoutMs`, `stableMs`). */
  socketOptions: SubscriptionOptions = {}

  constructor(readonly client: SymblClient) {}

  /** Dials a phone number (`POST /v1/endpoint:connect`, `endpoint.type: 'pstn'`). `signal` and `timeout` apply to the start request. */
  async startPstn(options: PstnOptions): Promise<TelephonyConnection> {
    const { dialPstn } = await loadPart('telephony', () => import('./dial.js'))
    return dialPstn(this, options)
  }

  /** Joins over SIP (`endpoint.type: 'sip'`). `signal` and `timeout` apply to the start request. */
  async startSip(options: SipOptions): Promise<TelephonyConnection> {
    const { dialSip } = await loadPart('telephony', () => import('./dial.js'))
    return dialSip(this, options)
  }

  /** Ends a call (`operation: 'stop'`); resolves with the server's answer (`summaryInfo` and ids). */
  stop(connectionId: string, options?: RequestOptions): Promise<TelephonyStopResponse>
  /** @deprecated Pass `{ signal }`: `stop(connectionId, { signal })`. The bare signal goes in the next release. */
  stop(connectionId: string, signal: AbortSignal): Promise<TelephonyStopResponse>
  async stop(connectionId: string, options?: RequestOptions | AbortSignal): Promise<TelephonyStopResponse> {
    pathId('connectionId', connectionId)
    const request = optionsOrSignal(this.client.log, 'stop', options)
    return this.client.http.request<TelephonyStopResponse>({
      method: 'POST',
      path: CONNECT,
      json: { operation: 'stop', connectionId },
      ...request,
    })
  }

  /** Contract 5.3: `POST /v1/event/{connectionId}`. */
  async pushSpeakerEvent(connectionId: string, event: TelephonySpeakerEvent, options?: RequestOptions): Promise<unknown> {
    const id = pathId('connectionId', connectionId)
    if (!event || typeof event !== 'object' || !SPEAKER_EVENTS.includes(event.type)) {
      throw new ValidationError(`a speaker event needs type ${SPEAKER_EVENTS.join(', ')}, got ${describe(event?.type)}`)
    }
    if (!event.user || typeof event.user !== 'object') throw new ValidationError('a speaker event needs user: { userId, name }')
    if (event.timestamp !== undefined && Number.isNaN(Date.parse(event.timestamp))) invalid('timestamp', 'an ISO date', event.timestamp)
    const request = requestOptions('pushSpeakerEvent: options', options)
    return this.client.http.request<unknown>({
      method: 'POST',
      path: `/v1/event/${id}`,
      json: { topic: 'speaker', type: event.type, user: event.user, timestamp: event.timestamp ?? new Date().toISOString() },
      ...request,
    })
  }
}
