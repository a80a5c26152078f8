import type { Transport } from '../../common/api'
import { createPoskoApi } from '../../common/api'
import type { Channel, EventName } from '../../common/contract'
import type { Result } from '../../common/result'

/**
 * `window.posko` for browser mode and the test harness, built by the same `createPoskoApi` as the Electron
 * preload. In the Playwright harness the test process exposes `__poskoInvoke` (a binding into the real
 * dispatcher) and pushes events through `__poskoEmit`; otherwise calls go over HTTP with the launch token.
 */
declare global {
  interface Window {
    __poskoInvoke?: (channel: string, input: unknown) => Promise<Result<unknown>>
    __poskoEmit?: (name: string, payload: unknown) => void
  }
}

type Listener = (payload: unknown) => void
const listeners = new Map<EventName, Set<Listener>>()

function deliver(name: string, payload: unknown): void {
  for (const listener of listeners.get(name as EventName) ?? []) listener(payload)
}

function subscribe(event: EventName, listener: Listener): () => void {
  const set = listeners.get(event) ?? new Set<Listener>()
  set.add(listener)
  listeners.set(event, set)
  return () => void set.delete(listener)
}

function launchToken(): string {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token')
  if (fromHash) {
    sessionStorage.setItem('posko.token', fromHash)
    history.replaceState(null, '', location.pathname + location.search)
    return fromHash
  }
  return sessionStorage.getItem('posko.token') ?? ''
}

function bindingTransport(invoke: NonNullable<Window['__poskoInvoke']>): Transport {
  window.__poskoEmit = deliver
  return { invoke: (channel, input) => invoke(channel, input), subscribe }
}

function httpTransport(): Transport {
  const token = launchToken()
  const source = new EventSource(`/__posko/events?token=${encodeURIComponent(token)}`)
  source.onmessage = (message: MessageEvent<string>) => {
    const { name, payload } = JSON.parse(message.data) as { name: string; payload: unknown }
    deliver(name, payload)
  }
  return {
    async invoke(channel: Channel, input: unknown) {
      try {
        const response = await fetch(`/__posko/rpc/${encodeURIComponent(channel)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-posko-token': token },
          body: JSON.stringify({ input }),
        })
        if (!response.ok) {
          const code = response.status === 403 ? 'forbidden' : 'unavailable'
          return { ok: false, error: { code, message: `HTTP ${response.status}` } }
        }
        return (await response.json()) as Result<unknown>
      } catch (error) {
        return { ok: false, error: { code: 'unavailable', message: String(error) } }
      }
    },
    subscribe,
  }
}

const transport = window.__poskoInvoke ? bindingTransport(window.__poskoInvoke) : httpTransport()
Object.defineProperty(window, 'posko', { value: createPoskoApi(transport), writable: false, configurable: false })
