import { EventEmitter } from 'eventemitter3'
import { ValidationError } from '../errors.js'

/** Most events kept per name while nobody listens, and most names kept (a server inventing frame types must not grow memory). */
const KEPT = 256
const KEPT_NAMES = 64

type Names<E extends object> = EventEmitter.EventNames<E>

/** eventemitter3 takes anything and throws a TypeError ("fn.apply is not a function") only when the event comes. */
function checkListener(method: string, event: unknown, fn: unknown): void {
  if (typeof event !== 'string' && typeof event !== 'symbol')
    throw new ValidationError(
      `${method} takes an event name first, e.g. ${method}('message', (frame) => …), got ${event === null ? 'null' : typeof event}`,
    )
  if (typeof fn !== 'function')
    throw new ValidationError(
      `${method}('${String(event)}', listener): the listener must be a function, got ${fn === null ? 'null' : typeof fn}`,
    )
}

/**
 * An eventemitter3 emitter that keeps what is emitted while an event has no listener (the last 256
 * per name) and delivers it, in order, to the first listener of that name, in a microtask so every
 * listener added in the same tick gets it. A socket delivers frames whenever they come and the app
 * subscribes a moment later: the conversation id and the first captions must not be lost (the
 * Python SDK drops them). eventemitter3 never throws for an `error` nobody listens to.
 */
export class ReplayEmitter<E extends object> extends EventEmitter<E> {
  #kept = new Map<PropertyKey, unknown[][]>()

  protected deliver<T extends Names<E>>(event: T, ...args: EventEmitter.EventArgs<E, T>): void {
    let kept = this.#kept.get(event)
    if (!kept && this.listenerCount(event)) return this.#emit(event, args)
    if (!kept) {
      if (this.#kept.size >= KEPT_NAMES) return
      this.#kept.set(event, (kept = []))
    }
    if (kept.push(args) > KEPT) kept.shift()
    if (this.listenerCount(event)) this.#replay(event)
  }

  override on<T extends Names<E>>(event: T, fn: EventEmitter.EventListener<E, T>, context?: unknown): this {
    checkListener('on', event, fn)
    super.on(event, fn, context)
    this.listened(event)
    return this
  }

  override once<T extends Names<E>>(event: T, fn: EventEmitter.EventListener<E, T>, context?: unknown): this {
    checkListener('once', event, fn)
    super.once(event, fn, context)
    this.listened(event)
    return this
  }

  override addListener<T extends Names<E>>(event: T, fn: EventEmitter.EventListener<E, T>, context?: unknown): this {
    return this.on(event, fn, context)
  }

  /** Python SDK style: `subscribe({ message: fn, error: fn2 })`. */
  subscribe(handlers: { [K in Names<E>]?: EventEmitter.EventListener<E, K> }): this {
    if (!handlers || typeof handlers !== 'object') throw new ValidationError('subscribe takes an object of { eventName: callback }')
    for (const [name, fn] of Object.entries(handlers)) {
      if (typeof fn !== 'function') throw new ValidationError(`subscribe: the handler for ${name} must be a function`)
      this.on(name as Names<E>, fn as EventEmitter.EventListener<E, Names<E>>)
    }
    return this
  }

  protected listened(event: Names<E>): void {
    if (this.#kept.has(event)) this.#replay(event)
  }

  #scheduled = new Set<PropertyKey>()

  /**
   * Emits, keeping a listener's exception out of the caller: the SDK delivers from the middle of
   * its own work (a frame, a reconnection, a close), which must not be left half done. The
   * exception is rethrown on its own, as an EventTarget reports it (on Node: an uncaught exception).
   */
  #emit(event: unknown, args: unknown[]): void {
    try {
      ;(this.emit as (e: unknown, ...a: unknown[]) => boolean)(event, ...args)
    } catch (error) {
      setTimeout(() => {
        throw error
      })
    }
  }

  #replay(event: Names<E>): void {
    if (this.#scheduled.has(event)) return
    this.#scheduled.add(event)
    queueMicrotask(() => {
      this.#scheduled.delete(event)
      const kept = this.#kept.get(event) ?? []
      while (kept.length && this.listenerCount(event) > 0) {
        this.#emit(event, kept.shift()!)
      }
      // A `once` listener may have taken one: keep the rest for the next listener.
      if (!kept.length) this.#kept.delete(event)
    })
  }
}
