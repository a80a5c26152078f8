import type { Channel, ChannelInput, ChannelOutput, EventName, EventPayload } from './contract'
import { channels } from './contract'
import type { Result } from './result'

/**
 * The shape of `window.posko`: one method per channel, grouped by the channel's prefix
 * (`posko.queue.status()`), plus a single `on(event, cb)`. Built from the contract, never by hand.
 */
type GroupOf<C> = C extends `${infer G}.${string}` ? G : never
type MethodOf<C> = C extends `${string}.${infer M}` ? M : never

type Method<C extends Channel> = [ChannelInput<C>] extends [void]
  ? () => Promise<Result<ChannelOutput<C>>>
  : (input: ChannelInput<C>) => Promise<Result<ChannelOutput<C>>>

export type PoskoApi = {
  [G in GroupOf<Channel>]: { [C in Channel as GroupOf<C> extends G ? MethodOf<C> : never]: Method<C> }
} & {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void
}

/** Electron IPC names: prefixed so they never collide with Electron's or a library's own channels. */
export const IPC_PREFIX = 'posko:'
export const IPC_EVENT = 'posko:event'

/** How a bridge reaches main: IPC in Electron, HTTP in browser mode, a Playwright binding in tests. */
export interface Transport {
  invoke(channel: Channel, input: unknown): Promise<Result<unknown>>
  subscribe(event: EventName, listener: (payload: unknown) => void): () => void
}

export function createPoskoApi(transport: Transport): PoskoApi {
  const api: Record<string, Record<string, (input?: unknown) => Promise<Result<unknown>>>> = {}
  for (const channel of channels) {
    const [group, method] = channel.split('.') as [string, string]
    api[group] ??= {}
    api[group][method] = (input?: unknown) => transport.invoke(channel, input)
  }
  const on = (event: EventName, listener: (payload: unknown) => void) => transport.subscribe(event, listener)
  return Object.freeze({ ...api, on }) as unknown as PoskoApi
}
