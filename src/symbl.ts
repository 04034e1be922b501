import { SymblClient } from './client.js'
import { AudioApi } from './async/audio.js'
import { VideoApi } from './async/video.js'
import { TextApi } from './async/text.js'
import { ConversationsApi } from './conversations/conversations-api.js'
import { StreamingApi } from './streaming/streaming-api.js'
import { TelephonyApi } from './telephony/telephony-api.js'

/**
 * The client with every API area. Areas are created on first use; an app that wants a smaller
 * bundle can build a `SymblClient` and construct only the area classes it needs.
 */
export class SymblBase extends SymblClient {
  #audio?: AudioApi
  #video?: VideoApi
  #text?: TextApi
  #conversations?: ConversationsApi
  #streaming?: StreamingApi
  #telephony?: TelephonyApi

  get audio(): AudioApi {
    return (this.#audio ??= new AudioApi(this))
  }
  get video(): VideoApi {
    return (this.#video ??= new VideoApi(this))
  }
  get text(): TextApi {
    return (this.#text ??= new TextApi(this))
  }
  get conversations(): ConversationsApi {
    return (this.#conversations ??= new ConversationsApi(this))
  }
  get streaming(): StreamingApi {
    return (this.#streaming ??= new StreamingApi(this))
  }
  get telephony(): TelephonyApi {
    return (this.#telephony ??= new TelephonyApi(this))
  }
}
