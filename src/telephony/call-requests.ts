// The Telephony API's two plain requests (contract 5): stopping a call and pushing a speaker event.
// Loaded with the dialing code (dial.ts re-exports them: one telephony chunk), so a page that never
// uses telephony, a live-captions page for one, does not download them with `new Symbl()`.
import { ValidationError } from '../errors.js'
import { describe, invalid } from '../http/check.js'
import { optionsOrSignal, requestOptions } from '../http/request-options.js'
import type { RequestOptions } from '../http/types.js'
import { pathId } from '../http/url.js'
import { CONNECT } from './endpoint.js'
import type { TelephonyApi } from './telephony-api.js'
import type { TelephonySpeakerEvent, TelephonyStopResponse } from './types.js'

const SPEAKER_EVENTS = ['started_speaking', 'stopped_speaking', 'joined', 'left']

/** `TelephonyApi.stop`: ends a call (`operation: 'stop'`). */
export function stopCall(
  api: TelephonyApi,
  connectionId: string,
  options: RequestOptions | AbortSignal | undefined,
): Promise<TelephonyStopResponse> {
  pathId('connectionId', connectionId)
  const request = optionsOrSignal(api.client.log, 'stop', options)
  return api.client.http.request<TelephonyStopResponse>({
    method: 'POST',
    path: CONNECT,
    json: { operation: 'stop', connectionId },
    ...request,
  })
}

/** `TelephonyApi.pushSpeakerEvent` (contract 5.3): `POST /v1/event/{connectionId}`. */
export function pushSpeakerEvent(
  api: TelephonyApi,
  connectionId: string,
  event: TelephonySpeakerEvent,
  options: RequestOptions | undefined,
): Promise<unknown> {
  const id = pathId('connectionId', connectionId)
  if (!event || typeof event !== 'object' || !SPEAKER_EVENTS.includes(event.type)) {
    throw new ValidationError(`a speaker event needs type ${SPEAKER_EVENTS.join(', ')}, got ${describe(event?.type)}`)
  }
  if (!event.user || typeof event.user !== 'object') throw new ValidationError('a speaker event needs user: { userId, name }')
  if (event.timestamp !== undefined && Number.isNaN(Date.parse(event.timestamp))) invalid('timestamp', 'an ISO date', event.timestamp)
  const request = requestOptions('pushSpeakerEvent: options', options)
  return api.client.http.request<unknown>({
    method: 'POST',
    path: `/v1/event/${id}`,
    json: { topic: 'speaker', type: event.type, user: event.user, timestamp: event.timestamp ?? new Date().toISOString() },
    ...request,
  })
}
