// Telephony endpoints (contract 5): connect/stop on one path, and speaker events on the eventUrl.

import { ApiError, badRequest } from '../errors.js'
import { speakerEventProblem } from '../json-limits.js'
import { isRecord, parseOptions } from '../options.js'
import { pageUrl } from '../pages.js'
import { ok, type Route } from './route.js'

type Json = Record<string, unknown>
const SPEAKER_EVENTS = ['started_speaking', 'stopped_speaking', 'joined', 'left', 'stopped']
const connectionNotFound = (id: string): ApiError =>
  new ApiError(404, { message: `The connectionId ${id} is either invalid or does not exist.` })

export const telephonyRoutes: Route[] = [
  {
    method: 'POST',
    pattern: /^\/v1\/endpoint:connect$/,
    async handler({ core, json, scope }) {
      const body = await json()
      const urls = (id: string): Json => ({
        eventUrl: `${core.publicHttpUrl}/v1/event/${id}`,
        resultWebSocketUrl: `${core.publicWsUrl}/events/${id}`,
      })
      if (body.operation === 'stop') {
        if (typeof body.connectionId !== 'string') throw badRequest('"connectionId" is required')
        // Another app's call is answered like an unknown one.
        if (!core.telephony.visible(body.connectionId, scope)) throw connectionNotFound(body.connectionId)
        const call = core.telephony.stop(body.connectionId)
        if (!call) throw connectionNotFound(body.connectionId)
        const organizer = call.conversation.members[0]
        return ok({
          connectionId: call.connectionId,
          conversationId: call.conversation.id,
          summaryInfo: organizer ? [{ user: { ...organizer, role: 'organizer' }, url: pageUrl(core, call.conversation, 'meeting') }] : [],
          ...urls(call.connectionId),
        })
      }
      if (body.operation !== 'start') throw badRequest('"operation" must be one of [start, stop]')
      const endpoint = body.endpoint
      if (!isRecord(endpoint)) throw badRequest('"endpoint" is required')
      if (endpoint.type !== 'pstn' && endpoint.type !== 'sip') throw badRequest('"endpoint.type" must be one of [pstn, sip]')
      if (endpoint.type === 'pstn' && (typeof endpoint.phoneNumber !== 'string' || !endpoint.phoneNumber))
        throw badRequest('"endpoint.phoneNumber" is required')
      if (endpoint.type === 'sip' && (typeof endpoint.uri !== 'string' || !endpoint.uri)) throw badRequest('"endpoint.uri" is required')
      if (body.languages !== undefined && !Array.isArray(body.languages))
        throw badRequest('"languages" must be an array')
        // Both shapes of 9: ["es-US"] (DOCS22/PY) and [{code: "es-US"}] (JS api-client).
      ;(body.languages as unknown[] | undefined)?.forEach((l, i) => {
        if (typeof l !== 'string' && !(isRecord(l) && typeof l.code === 'string'))
          throw badRequest(`"languages[${i}]" must be a language code or {code}`)
      })
      if (body.actions !== undefined && !Array.isArray(body.actions)) throw badRequest('"actions" must be an array')
      ;(body.actions as unknown[] | undefined)?.forEach((a, i) => {
        if (!isRecord(a) || (a.invokeOn !== 'start' && a.invokeOn !== 'stop'))
          throw badRequest(`"actions[${i}].invokeOn" must be one of [start, stop]`)
        if (typeof a.name !== 'string' || !a.name) throw badRequest(`"actions[${i}].name" is required`)
      })
      if (body.timezone !== undefined && typeof body.timezone !== 'string') throw badRequest('"timezone" must be a string')
      const session = isRecord(body.data) && isRecord(body.data.session) ? body.data.session : {}
      const name = typeof session.name === 'string' ? session.name : undefined
      core.jobs.checkCapacity()
      const conversation = core.store.createConversation('telephony', parseOptions({ name }), undefined, scope)
      const call = core.telephony.start(conversation, {
        phoneNumber: endpoint.phoneNumber as string | undefined,
        uri: endpoint.uri as string | undefined,
        name,
      })
      return ok({ ...urls(call.connectionId), connectionId: call.connectionId, conversationId: conversation.id }, 201)
    },
  },
  {
    method: 'POST',
    pattern: /^\/v1\/event\/(?<id>[^/]+)$/,
    async handler({ core, params, json, scope }) {
      const call = core.telephony.visible(params.id, scope)
      if (!call) throw connectionNotFound(params.id)
      const body = await json()
      if (body.topic !== undefined && body.topic !== 'speaker') throw badRequest('"topic" must be [speaker]')
      if (!SPEAKER_EVENTS.includes(body.type as string)) throw badRequest(`"type" must be one of [${SPEAKER_EVENTS.join(', ')}]`)
      const problem = speakerEventProblem(body, 'event')
      if (problem) throw badRequest(problem)
      core.telephony.recordSpeakerEvent(call, body)
      // Response body not documented: we answer 200 with a short message.
      return ok({ message: 'Speaker event received.' })
    },
  },
]
