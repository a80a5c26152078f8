import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, inject } from 'vitest'
import type { KioskConfig } from '../../common/config'
import { testConfig } from '../fixtures/config'
import type { Role } from '../../common/authz'
import type { KioskOptions } from '../../main/services/kiosk'
import type { TestKiosk } from '../fixtures/kiosk-kit'
import { createTestKiosk } from '../fixtures/kiosk-kit'
import { createMemoryLogger } from '../../main/services/platform/logger'
import type { Transport, TransportRequest, TransportResponse } from '../../main/services/central/transport'
import { nodeTransport } from '../../main/services/central/transport'
import type { CentralOptions } from '../central/server'
import { createDemoPosts, DEMO_POST_ID, startCentral } from '../central/server'
import type { TestCentral } from '../central/testkit'
import { startTestCentral } from '../central/testkit'

export { testConfig }

/** Run after each test, last first: a central closes before its temp dir goes. */
const cleanups: Array<() => void | Promise<void>> = []
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.()
})

/** Runs `fn` after the test (before what was set up ahead of it: a peer server closes before its desks). */
export function afterThisTest(fn: () => void | Promise<void>): void {
  cleanups.push(fn)
}

/** A fresh directory removed after the test. */
export function tempDir(prefix = 'posko-unit-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/**
 * The reference central on a temp dir with the 56 demo posts (test/central/demo.ts), closed after the test; `token`
 * is the demo kiosk's post (DEMO_POST_ID), `tokenFor` any other's. Honours X-Posko-Fault unless told otherwise.
 */
export async function demoCentral(options: Partial<CentralOptions> = {}) {
  const dataDir = options.dataDir ?? tempDir('posko-central-')
  createDemoPosts(dataDir)
  const central = await startCentral({ allowFaultHeader: true, ...options, dataDir })
  cleanups.push(() => central.close())
  const tokenFor = (postId: string) => central.posts.find((p) => p.postId === postId)!.token
  return { central, dataDir, token: tokenFor(DEMO_POST_ID), tokenFor }
}

/** The reference central with the two test posts and a fetch client (test/central/testkit.ts), disposed after the test. */
export async function testCentral(options: Partial<CentralOptions> = {}): Promise<TestCentral> {
  const env = await startTestCentral(options)
  cleanups.push(() => env.dispose())
  return env
}

/** A real kiosk on a real SQLite file in a temp dir, closed after the test. */
export const TEST_PIN = '246813'

/**
 * A real kiosk on a real SQLite file in a temp dir, closed after the test. By default a supervisor `sup-1` exists
 * and is signed in before the first `call` runs (`role: null` for a signed-out kiosk, or another role).
 */
export function openKiosk(
  options: { dataDir?: string; config?: Partial<KioskConfig>; now?: () => Date; role?: Role | null } & Pick<
    KioskOptions,
    'centralToken' | 'upload' | 'clock' | 'retentionSchedule' | 'network' | 'ktp' | 'deskStatus' | 'integrity' | 'drives' | 'stick'
  > = {},
) {
  const dataDir = options.dataDir ?? tempDir()
  const logger = createMemoryLogger()
  const kiosk: TestKiosk = createTestKiosk({
    dataDir,
    config: { ...testConfig, ...options.config },
    version: '9.9.9',
    logger,
    resourcesDir: resolve('resources'),
    now: options.now,
    centralToken: options.centralToken,
    clock: options.clock,
    retentionSchedule: options.retentionSchedule ?? false,
    network: options.network,
    // Heartbeats have their own tests (fleet-*.test.ts); here they would be extra requests in every upload test.
    heartbeat: { autoStart: false, afterUploads: false },
    // Unit tests drive the uploader themselves; it never runs in the background here. It prepares batches in the
    // upload worker, as the app's does.
    upload: { autoStart: false, workerScript: inject('uploadWorker'), ...options.upload },
    ktp: options.ktp,
    deskStatus: options.deskStatus,
    integrity: options.integrity,
    drives: options.drives,
    // The backup stick's passes run when a test says (issue 22.3); none is designated in other tests anyway.
    stick: { autoStart: false, ...options.stick },
  })
  let closed = false
  const role = options.role === undefined ? 'supervisor' : options.role
  const operatorId = role ? `${role.slice(0, 3)}-1` : null
  const signedIn = (async () => {
    if (!role || !operatorId) return
    if (!kiosk.sessions.listOperators().some((o) => o.id === operatorId)) {
      await kiosk.sessions.createOperator({ operatorId, name: `Test ${role}`, role, pin: TEST_PIN })
    }
    await kiosk.sessions.signIn(operatorId, TEST_PIN)
  })().catch((error: unknown) => {
    // A test that never calls through the kiosk may close it while the PIN is still hashing: nothing to report then.
    if (!closed) throw error
  })
  const rawCall = kiosk.call
  kiosk.call = async (channel, input, ctx) => {
    await signedIn
    return rawCall(channel, input, ctx)
  }
  const close = () => {
    if (!closed) kiosk.close()
    closed = true
  }
  cleanups.push(close)
  return { kiosk, dataDir, logger, close, signedIn, operatorId }
}

/** A clock that moves only when told: timers fire in order as `advance` passes them. */
export function manualClock(start = Date.UTC(2026, 10, 25, 2, 0)) {
  let now = start
  let seq = 0
  const timers = new Map<number, { at: number; fn: () => void }>()
  return {
    now: () => now,
    setTimeout(fn: () => void, ms: number) {
      const id = ++seq
      timers.set(id, { at: now + ms, fn })
      return id
    },
    clearTimeout(handle: unknown) {
      timers.delete(handle as number)
    },
    /** Moves time forward, firing due timers (and any they set that fall due too). */
    advance(ms: number) {
      const end = now + ms
      for (;;) {
        const next = [...timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0]
        if (!next) break
        timers.delete(next[0])
        now = next[1].at
        next[1].fn()
      }
      now = end
    },
    pending: () => [...timers.values()].map((t) => t.at - now).sort((a, b) => a - b),
  }
}

export interface WatchedCall {
  method: string
  path: string
}

/**
 * The upload client's own transport (Node's http, central/transport.ts), watched: every request is recorded as
 * "METHOD path". `fault` may name a fault for the reference central to inject into a request (X-Posko-Fault), and
 * `answer` may answer in central's place (an older central without a route, say).
 */
export function watchedTransport(
  options: { fault?: (call: WatchedCall) => string | undefined; answer?: (call: WatchedCall) => TransportResponse | undefined } = {},
): Transport & { calls: string[] } {
  const calls: string[] = []
  const transport = (async (url, request) => {
    const call = { method: request.method, path: new URL(url).pathname }
    calls.push(`${call.method} ${call.path}`)
    const answer = options.answer?.(call)
    if (answer) return answer
    const fault = options.fault?.(call)
    return nodeTransport(url, fault ? { ...request, headers: { ...request.headers, 'x-posko-fault': fault } } : request)
  }) as Transport & { calls: string[] }
  transport.calls = calls
  return transport
}

/** An answer as a transport gives it, for `watchedTransport`'s `answer`. */
export function jsonAnswer(status: number, body: unknown): TransportResponse {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  return { status, header: (name) => headers[name.toLowerCase()] ?? null, text: JSON.stringify(body) }
}

/** The upload transport with `fault` injected into the first `times` batch POSTs (the next one then goes through). */
export function firstBatchFault(fault: string, times = 1): Transport & { calls: string[] } {
  let pending = times
  return watchedTransport({
    fault: ({ path }) => {
      if (pending === 0 || path !== '/v1/registrations:batch') return undefined
      pending--
      return fault
    },
  })
}

/**
 * The request with a body that records what it sends: `bytes()` is the body as it went (a paced photo pack goes as
 * a stream of frames, read once by the transport).
 */
export function bodyWatched(request: TransportRequest): { request: TransportRequest; bytes: () => Buffer } {
  const body = request.body
  if (body === undefined || body instanceof Uint8Array) {
    const bytes = body === undefined ? Buffer.alloc(0) : Buffer.from(body.buffer, body.byteOffset, body.byteLength)
    return { request, bytes: () => bytes }
  }
  const seen: Buffer[] = []
  const chunks = (async function* () {
    for await (const chunk of body.chunks) {
      seen.push(Buffer.from(chunk))
      yield chunk
    }
  })()
  return { request: { ...request, body: { length: body.length, chunks } }, bytes: () => Buffer.concat(seen) }
}
