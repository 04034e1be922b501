// For the runtimes with their own WebSocket (Bun, Deno, Workers): does the SDK see a refused handshake's
// HTTP status there (Platform.seesHandshakeStatus)? Two starts, each counted in sockets:
//   1. the runner arms the emulator to refuse every handshake of the stream id below with 503
//      (faults.refuseHandshakes): a ConnectionError naming HTTP 503 (details.status), one socket;
//   2. nothing listens at the socket's address: "Could not open the streaming socket", one socket. Where the
//      runtime hides a refusal's status, such a failure might have been a refused token, so the SDK would
//      drop the token and try once more with a fresh one (two sockets); where every refusal shows its status
//      (checked here with 1.), a status-less failure is the network, and no token is spent on it.
// Imports nothing from the package.
export const REFUSED_STREAM_ID = 'consumer-refused-handshake'

async function startFails(Symbl, options, id) {
  const Own = globalThis.WebSocket
  let sockets = 0
  globalThis.WebSocket = class extends Own {
    constructor(...args) {
      super(...args)
      sockets++
    }
  }
  try {
    const connection = await new Symbl(options).streaming.startConnection({ id, reconnect: false })
    await connection.stop()
    return { accepted: true, sockets }
  } catch (error) {
    return { name: error?.name, status: error?.details?.status ?? null, message: String(error?.message), sockets }
  } finally {
    globalThis.WebSocket = Own
  }
}

export async function refusedHandshake(Symbl, options) {
  const refused = await startFails(Symbl, options, REFUSED_STREAM_ID)
  if (refused.name !== 'ConnectionError' || refused.status !== 503 || !refused.message.includes('HTTP 503') || refused.sockets !== 1)
    throw new Error(
      `a handshake refused with 503: expected a ConnectionError with status 503 after one socket, got ${JSON.stringify(refused)}`,
    )
  const unreachable = await startFails(Symbl, { ...options, wsBaseUrl: 'ws://127.0.0.1:1' }, 'consumer-unreachable')
  if (unreachable.name !== 'ConnectionError' || unreachable.status !== null || unreachable.sockets !== 1)
    throw new Error(
      `a socket address nothing listens at: expected a ConnectionError after one socket (no retry for the token), got ${JSON.stringify(unreachable)}`,
    )
  return { refused, unreachable }
}
