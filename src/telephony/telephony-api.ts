import type { SymblClient } from '../client.js'

/** The Telephony API. */
export class TelephonyApi {
  constructor(readonly client: SymblClient) {}
}
