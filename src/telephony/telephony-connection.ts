import type { SymblClient } from '../client.js'
import { Conversation } from '../conversations/conversation.js'
import { ConnectionError } from '../errors.js'
import type { Frame } from '../socket/frames.js'
import { ReplayEmitter } from '../socket/replay-emitter.js'
import { Subscription, type SubscriptionOptions } from './subscription.js'
import type { TelephonySpeakerEvent, TelephonyEvents, TelephonyStartResponse, TelephonyStopResponse } from './types.js'

/** What the connection needs from `TelephonyApi` (kept as an interface so neither module imports the other's class). */
export interface TelephonyCalls {
  stop(connectionId: string): Promise<TelephonyStopResponse>
  pushSpeakerEvent(connectionId: string, event: TelephonySpeakerEvent): Promise<unknown>
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
   * Rejects with a `ConnectionError` once `stop()` was called: the call has ended.
   */
  pushSpeakerEvent(event: TelephonySpeakerEvent): Promise<unknown> {
    if (this.#stopped) {
      return Promise.reject(
        new ConnectionError(
          `pushSpeakerEvent was called after stop(): call ${this.connectionId} has ended; push speaker events before stopping it`,
        ),
      )
    }
    return this.#calls.pushSpeakerEvent(this.connectionId, event)
  }

  /**
   * Ends the call and closes the subscription. Idempotent: the call is stopped once, and every
   * later `stop()` returns that same promise, resolving with the same answer (or rejecting with the
   * same error), without a second request.
   */
  stop(): Promise<TelephonyStopResponse> {
    this.#subscription?.close()
    return (this.#stopped ??= this.#calls.stop(this.connectionId))
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
