// Dialing a call: the checks of startPstn/startSip and the start request. Loaded by TelephonyApi on
// first use, together with the connection code, and before anything is dialed (a call must not be
// placed without the code to follow and stop it).
import { ConnectionError, ValidationError } from '../errors.js'
import { invalid, isObject } from '../http/check.js'
import { requestOptions } from '../http/request-options.js'
import { redactValue } from '../logger.js'
import type { RequestOptions } from '../http/types.js'
import { checkSubscriptionOptions } from './subscription.js'
import { TelephonyConnection } from './telephony-connection.js'
import { CONNECT } from './endpoint.js'
import type { TelephonyApi } from './telephony-api.js'
import type { PstnOptions, SipOptions, TelephonyStartResponse } from './types.js'

// The rest of the telephony part (TelephonyApi loads this file only): stop and speaker events.
export { pushSpeakerEvent, stopCall } from './call-requests.js'

export async function dialPstn(api: TelephonyApi, options: PstnOptions): Promise<TelephonyConnection> {
  const request = check(options, 'startPstn', '{ phoneNumber: "14082924837" }')
  const { phoneNumber, dtmf } = options
  if (typeof phoneNumber !== 'string' || !/^\+?[1-9]\d{5,14}$/.test(phoneNumber)) {
    invalid('phoneNumber', 'an E.164 number (6 to 15 digits, optional leading +), e.g. "14082924837"', phoneNumber)
  }
  if (dtmf !== undefined && (typeof dtmf !== 'string' || !/^[0-9A-Da-d*#,wW]*$/.test(dtmf))) {
    invalid('dtmf', 'a string of keypad keys (0-9 * # A-D) and , for a 500 ms pause', dtmf)
  }
  return start(api, { type: 'pstn', phoneNumber, dtmf }, options, request)
}

export async function dialSip(api: TelephonyApi, options: SipOptions): Promise<TelephonyConnection> {
  const request = check(options, 'startSip', '{ uri: "sip:555@example.com" }')
  const { uri, audioConfig } = options
  if (typeof uri !== 'string' || !/^sips?:[^\s]+$/i.test(uri)) invalid('uri', 'a SIP URI like "sip:555@your_sip_domain"', uri)
  if (audioConfig !== undefined) {
    if (!isObject(audioConfig)) invalid('audioConfig', 'an object like { encoding: "PCMU", sampleRate: 16000 }', audioConfig)
    const rate = audioConfig.sampleRate
    if (rate !== undefined && !(Number.isInteger(rate) && rate > 0)) invalid('audioConfig.sampleRate', 'a whole number of Hz', rate)
    if (audioConfig.encoding !== undefined && typeof audioConfig.encoding !== 'string')
      throw new ValidationError('audioConfig.encoding must be a string such as "PCMU" or "OPUS"')
  }
  return start(api, { type: 'sip', uri, audioConfig }, options, request)
}

async function start(
  api: TelephonyApi,
  endpoint: Record<string, unknown>,
  options: PstnOptions | SipOptions,
  request: RequestOptions,
): Promise<TelephonyConnection> {
  const { actions = [], data, languages, timezone } = options
  const list = Array.isArray(actions) ? actions : [actions]
  for (const a of list) {
    if (!a || typeof a !== 'object' || !['start', 'stop'].includes(a.invokeOn) || typeof a.name !== 'string') {
      throw new ValidationError(
        'each action must be like { invokeOn: "stop", name: "sendSummaryEmail", parameters: { emails: ["a@example.com"] } }',
      )
    }
  }
  if (data !== undefined && !isObject(data)) invalid('data', 'an object like { session: { name: "My meeting" } }', data)
  const langs = typeof languages === 'string' ? [languages] : languages
  // Both shapes of contract 5.1, sent as given: `["es-US"]` (docs, Python) and `[{ code: "es-US" }]` (Symbl's JS SDK).
  // Symbl's telephony languages all name a region (en-US, en-GB, es-US, fr-CA…): a bare "en" is refused by the
  // server only once the call is placed, or silently falls back to en-US.
  const code = (l: unknown) => (isObject(l) ? (l as { code?: unknown }).code : l)
  const bcp47 = (c: unknown) => typeof c === 'string' && /^[a-z]{2,3}-([a-z]{2}|\d{3})$/i.test(c)
  if (langs !== undefined && !(Array.isArray(langs) && langs.length > 0 && langs.every((l) => bcp47(code(l))))) {
    const bad = Array.isArray(langs) ? (langs.length ? langs.map(code).find((c) => !bcp47(c)) : langs) : languages
    invalid('languages', 'a non-empty list of language codes with a region, like ["en-US"] or [{ code: "en-US" }]', bad)
  }
  if (timezone !== undefined && (typeof timezone !== 'string' || !timezone)) invalid('timezone', 'an IANA name like "US/Pacific"', timezone)
  // Before dialing: a bad socket option would otherwise only surface when the first listener is added.
  checkSubscriptionOptions(api.socketOptions)
  const response = await api.client.http.request<TelephonyStartResponse>({
    method: 'POST',
    path: CONNECT,
    json: { operation: 'start', endpoint, actions: list, data, languages: langs, timezone },
    signal: request.signal,
    timeout: request.timeout,
  })
  if (!response || typeof response.connectionId !== 'string') {
    // The answer is server text: kept redacted, as every other body an error carries.
    throw new ConnectionError('The telephony start answer has no connectionId', {
      details: redactValue(response, api.client.http.hidden()),
    })
  }
  return new TelephonyConnection(api.client, api, response, api.socketOptions)
}

/** Refuses anything but an object, then checks its `signal` and `timeout` (before the rest, as for every call) and returns them. */
function check(options: unknown, method: string, example: string): RequestOptions {
  if (!options || typeof options !== 'object') throw new ValidationError(`${method} takes an options object, e.g. ${example}`)
  return requestOptions(`${method}: options`, options)
}
