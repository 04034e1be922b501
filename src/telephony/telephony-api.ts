import type { SymblClient } from '../client.js'
import { ConnectionError, ValidationError } from '../errors.js'
import { describe, invalid, isObject } from '../http/check.js'
import { pathId } from '../http/url.js'
import { checkSubscriptionOptions, type SubscriptionOptions } from './subscription.js'
import { TelephonyConnection } from './telephony-connection.js'
import type { PstnOptions, SipOptions, TelephonySpeakerEvent, TelephonyStartResponse, TelephonyStopResponse } from './types.js'

const CONNECT = '/v1/endpoint:connect'
const SPEAKER_EVENTS = ['started_speaking', 'stopped_speaking', 'joined', 'left']

/** The Telephony API (contract 5): have Symbl dial a phone number or a SIP URI and listen to the call. */
export class TelephonyApi {
  /** Options for the subscribe sockets of the calls started here (reconnect, keep-alive, `openTimeoutMs`, `stableMs`). */
  socketOptions: SubscriptionOptions = {}

  constructor(readonly client: SymblClient) {}

  /** Dials a phone number (`POST /v1/endpoint:connect`, `endpoint.type: 'pstn'`). */
  async startPstn(options: PstnOptions): Promise<TelephonyConnection> {
    check(options, 'startPstn', '{ phoneNumber: "14082924837" }')
    const { phoneNumber, dtmf } = options
    if (typeof phoneNumber !== 'string' || !/^\+?[1-9]\d{5,14}$/.test(phoneNumber)) {
      invalid('phoneNumber', 'an E.164 number (6 to 15 digits, optional leading +), e.g. "14082924837"', phoneNumber)
    }
    if (dtmf !== undefined && (typeof dtmf !== 'string' || !/^[0-9A-Da-d*#,wW]*$/.test(dtmf))) {
      invalid('dtmf', 'a string of keypad keys (0-9 * # A-D) and , for a 500 ms pause', dtmf)
    }
    return this.#start({ type: 'pstn', phoneNumber, dtmf }, options)
  }

  /** Joins over SIP (`endpoint.type: 'sip'`). */
  async startSip(options: SipOptions): Promise<TelephonyConnection> {
    check(options, 'startSip', '{ uri: "sip:555@example.com" }')
    const { uri, audioConfig } = options
    if (typeof uri !== 'string' || !/^sips?:[^\s]+$/i.test(uri)) invalid('uri', 'a SIP URI like "sip:555@your_sip_domain"', uri)
    if (audioConfig !== undefined) {
      if (!isObject(audioConfig)) invalid('audioConfig', 'an object like { encoding: "PCMU", sampleRate: 16000 }', audioConfig)
      const rate = audioConfig.sampleRate
      if (rate !== undefined && !(Number.isInteger(rate) && rate > 0)) invalid('audioConfig.sampleRate', 'a whole number of Hz', rate)
      if (audioConfig.encoding !== undefined && typeof audioConfig.encoding !== 'string') throw new ValidationError('audioConfig.encoding must be a string such as "PCMU" or "OPUS"')
    }
    return this.#start({ type: 'sip', uri, audioConfig }, options)
  }

  /** Ends a call (`operation: 'stop'`); resolves with the server's answer (`summaryInfo` and ids). */
  async stop(connectionId: string, signal?: AbortSignal): Promise<TelephonyStopResponse> {
    pathId('connectionId', connectionId)
    return this.client.http.request<TelephonyStopResponse>({ method: 'POST', path: CONNECT, json: { operation: 'stop', connectionId }, signal })
  }

  /** Contract 5.3: `POST /v1/event/{connectionId}`. */
  async pushSpeakerEvent(connectionId: string, event: TelephonySpeakerEvent): Promise<unknown> {
    const id = pathId('connectionId', connectionId)
    if (!event || typeof event !== 'object' || !SPEAKER_EVENTS.includes(event.type)) {
      throw new ValidationError(`a speaker event needs type ${SPEAKER_EVENTS.join(', ')}, got ${describe(event?.type)}`)
    }
    if (!event.user || typeof event.user !== 'object') throw new ValidationError('a speaker event needs user: { userId, name }')
    if (event.timestamp !== undefined && Number.isNaN(Date.parse(event.timestamp))) invalid('timestamp', 'an ISO date', event.timestamp)
    return this.client.http.request<unknown>({
      method: 'POST',
      path: `/v1/event/${id}`,
      json: { topic: 'speaker', type: event.type, user: event.user, timestamp: event.timestamp ?? new Date().toISOString() },
    })
  }

  async #start(endpoint: Record<string, unknown>, options: PstnOptions | SipOptions): Promise<TelephonyConnection> {
    const { actions = [], data, languages, timezone, signal } = options
    const list = Array.isArray(actions) ? actions : [actions]
    for (const a of list) {
      if (!a || typeof a !== 'object' || !['start', 'stop'].includes(a.invokeOn) || typeof a.name !== 'string') {
        throw new ValidationError('each action must be like { invokeOn: "stop", name: "sendSummaryEmail", parameters: { emails: ["a@example.com"] } }')
      }
    }
    if (data !== undefined && !isObject(data)) invalid('data', 'an object like { session: { name: "My meeting" } }', data)
    const langs = typeof languages === 'string' ? [languages] : languages
    // Both shapes of contract 5.1, sent as given: `["es-US"]` (docs, Python) and `[{ code: "es-US" }]` (Symbl's JS SDK).
    const code = (l: unknown) => (isObject(l) ? (l as { code?: unknown }).code : l)
    if (langs !== undefined && !(Array.isArray(langs) && langs.every((l) => typeof code(l) === 'string' && code(l)))) {
      invalid('languages', 'a list of language codes like ["en-US"] or [{ code: "en-US" }]', languages)
    }
    if (timezone !== undefined && (typeof timezone !== 'string' || !timezone)) invalid('timezone', 'an IANA name like "US/Pacific"', timezone)
    // Before dialing: a bad socket option would otherwise only surface when the first listener is added.
    checkSubscriptionOptions(this.socketOptions)
    const response = await this.client.http.request<TelephonyStartResponse>({
      method: 'POST',
      path: CONNECT,
      json: { operation: 'start', endpoint, actions: list, data, languages: langs, timezone },
      signal,
    })
    if (!response || typeof response.connectionId !== 'string') {
      throw new ConnectionError('The telephony start answer has no connectionId', { details: response })
    }
    return new TelephonyConnection(this.client, this, response, this.socketOptions)
  }
}

function check(options: unknown, method: string, example: string): void {
  if (!options || typeof options !== 'object') throw new ValidationError(`${method} takes an options object, e.g. ${example}`)
}
