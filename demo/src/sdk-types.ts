// Types the demo needs from the SDK. The package entry does not export the streaming types yet
// (StreamingConnection, MessageFrame, …), so they are derived from the public methods here.
import type { Symbl } from 'symbl-sdk'

export type StreamingConnection = Awaited<ReturnType<Symbl['streaming']['startConnection']>>
type Handlers = NonNullable<Parameters<StreamingConnection['subscribe']>[0]>
export type MessageFrame = Parameters<NonNullable<Handlers['message']>>[0]
