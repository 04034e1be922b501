// What a front gives the core for one accepted WebSocket, and what the core gives back.

export interface SocketSink {
  /** Sends one text frame. */
  send(text: string): void
  /** Clean close with a code. */
  close(code: number, reason?: string): void
  /** Abrupt drop without a close frame (the client sees 1006). */
  terminate(): void
}

export interface SocketHandler {
  onText(text: string): void
  onBinary(bytes: Uint8Array): void
  onClose(): void
}

/** Sink wrapper used by the core: JSON frames, the malformed-frame fault, and a closed guard. */
export class FrameSender {
  closed = false
  constructor(
    private readonly sink: SocketSink,
    private readonly malformed: () => boolean,
  ) {}

  json(frame: unknown): void {
    if (this.closed) return
    // Fault: a truncated JSON text, what a buggy proxy or server would produce.
    this.sink.send(this.malformed() ? '{"type":"message","message":{"type":' : JSON.stringify(frame))
  }

  raw(text: string): void {
    if (!this.closed) this.sink.send(text)
  }

  close(code = 1000, reason = ''): void {
    if (this.closed) return
    this.closed = true
    this.sink.close(code, reason)
  }

  terminate(): void {
    if (this.closed) return
    this.closed = true
    this.sink.terminate()
  }
}

/** Subscribers of a connection id (/v1/subscribe/{id}, /session/subscribe/{id}). */
export class Hub {
  private readonly subscribers = new Map<string, Set<FrameSender>>()

  add(id: string, sender: FrameSender): () => void {
    const set = this.subscribers.get(id) ?? new Set<FrameSender>()
    set.add(sender)
    this.subscribers.set(id, set)
    return () => {
      set.delete(sender)
      if (!set.size) this.subscribers.delete(id)
    }
  }

  publish(id: string, frame: unknown): void {
    for (const s of this.subscribers.get(id) ?? []) s.json(frame)
  }

  closeAll(id: string, code = 1000): void {
    for (const s of this.subscribers.get(id) ?? []) s.close(code)
    this.subscribers.delete(id)
  }

  count(id: string): number {
    return this.subscribers.get(id)?.size ?? 0
  }
}
