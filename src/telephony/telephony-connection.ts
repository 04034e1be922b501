import type { SymblClient } from '../client.js'
import { Conversation } from '../conversations/conversation.js'
import { abortReason, ConnectionError, TimeoutError } from '../errors.js'
import { requestOptions } from '../http/request-options.js'
import type { RequestOptions } from '../http/types.js'
import type { Frame } from '../socket/frames.js'
import { ReplayEmitter } from '../socket/replay-emitter.js'
import { abortable } from '../utils/async.js'
import { Subscription } from './subscription.js'
import type { SubscriptionOptions, TelephonySpeakerEvent, TelephonyEvents, TelephonyStartResponse, TelephonyStopResponse } from './types.js'

/** What the connection needs from `TelephonyApi` (kept as an interface so neither module imports the other's class). */
export interface TelephonyCalls {
  stop(connectionId: string, options?: RequestOptions): Promise<TelephonyStopResponse>
  pushSpeakerEvent(connectionId: string, event: TelephonySpeakerEvent, options?: RequestOptions): Promise<unknown>
}

/**
 * A call started by `startPstn`/`startSip`. Live events come over the subscribe socket, which is
 * opened in the background when the first listener is added (nothing waits for it); frames for an
 * event nobody listens to yet are kept for its first listener.
 */
export class TelephonyConnection extends ReplayEmitter<TelephonyEvents> {
  readonly connectionId: string
  readonly conversationId: string | undefined
  readonly eventUrl: string | undefined
  readonly resultWebSocketUrl: string | undefined
  /** The raw start response. */
  readonly response: TelephonyStartResponse
  readonly #client: SymblClient
  readonly #calls: TelephonyCalls
  #subscription: Subscription | undefined
  #stopped: Promise<TelephonyStopResponse> | undefined
  #conversation: Conversation | undefined

  constructor(
    client: SymblClient,
    calls: TelephonyCalls,
    response: TelephonyStartResponse,
    readonly options: SubscriptionOptions = {},
  ) {
    super()
    this.#client = client
    this.#calls = calls
    this.response = response
    this.connectionId = response.connectionId
    this.conversationId = response.conversationId
    this.eventUrl = response.eventUrl
    this.resultWebSocketUrl = response.resultWebSocketUrl
  }

  get conversation(): Conversation | undefined {
    if (!this.conversationId) return undefined
    return (this.#conversation ??= new Conversation(this.#client, { conversationId: this.conversationId }))
  }

  /** Python SDK parity. */
  getConversationId(): string | undefined {
    return this.conversationId
  }

  /**
   * Contract 5.3: `started_speaking`, `stopped_speaking`, `joined` or `left` for a participant.
   * Rejects with a `ConnectionError` once `stop()` was called: the call has ended. `signal` and
   * `timeout` apply to the request, as for `symbl.telephony.pushSpeakerEvent`.
   */
  pushSpeakerEvent(event: TelephonySpeakerEvent, options?: RequestOptions): Promise<unknown> {
    if (this.#stopped) {
      return Promise.reject(
        new ConnectionError(
          `pushSpeakerEvent was called after stop(): call ${this.connectionId} has ended; push speaker events before stopping it`,
        ),
      )
    }
    return this.#calls.pushSpeakerEvent(this.connectionId, event, options)
  }

  /**
   * Ends the call and closes the subscription. Idempotent: the call is stopped once, and every
   * later `stop()` returns that same outcome, resolving with the same answer (or rejecting with the
   * same error), without a second request.
   *
   * `signal` and `timeout` apply to the stop request. A signal aborted before the call does nothing
   * (no request; the subscription stays open). A stop given up through this call's own `signal` or
   * `timeout` rejects with the abort reason or a `TimeoutError` and is not remembered: without the
   * server's answer the call may still be running, so pushSpeakerEvent works again and the next
   * `stop()` sends the request again. The subscription stays closed (live events no longer arrive).
   * A `stop()` made while another is under way joins it: its own `signal` only abandons its own
   * wait, and its `timeout` does not apply.
   */
  stop(options?: RequestOptions): Promise<TelephonyStopResponse> {
    let request: RequestOptions
    try {
      request = requestOptions('stop: options', options)
    } catch (error) {
      return Promise.reject(error)
    }
    const { signal } = request
    if (signal?.aborted) return Promise.reject(abortReason(signal))
    if (this.#stopped) return abortable(this.#stopped, signal)
    this.#subscription?.close()
    const stopped = this.#calls.stop(this.connectionId, request)
    this.#stopped = stopped
    stopped.catch((error: unknown) => {
      // Given up by the caller, not answered by the server: the next stop() tries again.
      const givenUp = signal?.aborted || (request.timeout !== undefined && error instanceof TimeoutError)
      if (givenUp && this.#stopped === stopped) this.#stopped = undefined
    })
    return stopped
  }

  protected override listened(event: keyof TelephonyEvents): void {
    super.listened(event)
    if (this.#subscription || this.#stopped) return
    this.#subscription = new Subscription(
      this.#client,
      `/session/subscribe/${encodeURIComponent(this.connectionId)}`,
      {
        frame: (frame: Frame) => this.deliver(frame.type as 'transcript_response', frame as never),
        error: (error) => this.deliver('error', error),
        open: () => this.deliver('open'),
        close: (code, reason) => this.deliver('close', { code, reason }),
      },
      this.options,
    )
    this.#subscription.open()
  }
}
