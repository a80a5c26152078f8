import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { expect } from 'vitest'
import type { KioskOptions } from '../../main/services/kiosk'
import type { ChannelDeps, PeerConnection } from '../../main/services/network/channel'
import { ChannelError, connectToPeer, PeerRequestError, startPeerServer } from '../../main/services/network/channel'
import type { PeerList } from '../../main/services/network/peers'
import { createPeerList } from '../../main/services/network/peers'
import { createMemoryLogger } from '../../main/services/platform/logger'
import type { Central } from '../central/server'
import { freePorts } from '../fixtures/ports'
import { afterThisTest, openKiosk } from './helpers'

/**
 * Desks of one post for the post-network tests: real kiosks (each its own data dir, vault, TLS identity) enrolled to
 * the reference central, restarted as the app is after enrolment, and heartbeated once more so every desk's roster
 * lists them all. `deps` builds what the channel needs from a desk, with a peer list of its own.
 */
export interface Desk {
  kiosk: ReturnType<typeof openKiosk>['kiosk']
  dataDir: string
  kioskId: string
  postId: string
  /** Its post network's port and configured peers, when the test gave it one. */
  net?: DeskNetwork
  /** The kiosk's logger (memory): what it refused, and why. */
  logger?: ReturnType<typeof openKiosk>['logger']
  close(): void
}

export interface DeskNetwork {
  port: number
  peers: string[]
  roundMs?: number
  goneAfterMs?: number
  /** Its desk status writer's throttle and tick (network/desk-status.ts). */
  deskStatus?: { minIntervalMs?: number; keepAliveMs?: number; tickMs?: number }
  /** What it holds of other desks' backups at most (issue 22.1). */
  backupQuotaBytes?: number
  /** When it asks the others to relay its records (issue 22.2; default `auto`: while its central is unreachable). */
  relay?: 'auto' | 'always' | 'never'
}

/**
 * Opens a desk's kiosk (again) on its data dir with its post network on 127.0.0.1:port, configured peers only;
 * `upload` as openKiosk's (e.g. a transport that watches the desk's upload requests).
 */
export function reopenDesk(desk: Pick<Desk, 'dataDir' | 'kioskId' | 'postId'>, net?: DeskNetwork, upload?: KioskOptions['upload']): Desk {
  const opened = openKiosk({
    ...(upload ? { upload } : {}),
    dataDir: desk.dataDir,
    config: { postId: desk.postId, ...(net ? { network: { port: net.port, mdns: false, peers: net.peers } } : {}) },
    // Staff register at a desk (the enrolment before was IT's).
    role: 'supervisor',
    ...(net ? { network: { host: '127.0.0.1', port: net.port, mdns: false, roundMs: net.roundMs, goneAfterMs: net.goneAfterMs, backupQuotaBytes: net.backupQuotaBytes, relay: net.relay }, deskStatus: net.deskStatus } : {}),
  })
  return { kiosk: opened.kiosk, dataDir: desk.dataDir, kioskId: desk.kioskId, postId: desk.postId, net, logger: opened.logger, close: opened.close }
}

export async function enrolDesk(central: Pick<Central, 'url' | 'issueEnrolmentCode'>, postId: string, net?: DeskNetwork): Promise<Desk> {
  const first = openKiosk({ config: { postId }, role: 'it' })
  const result = (await first.kiosk.call('enrolment.enrol', { centralUrl: central.url, postId, code: central.issueEnrolmentCode(postId).code })) as {
    ok: boolean
    value: { kioskKeyId: string }
  }
  expect(result.ok).toBe(true)
  first.close()
  return reopenDesk({ dataDir: first.dataDir, kioskId: result.value.kioskKeyId, postId }, net)
}

/** n desks of a post; with `network`, each on its own port with the others as configured peers. */
export async function postDesks(
  central: Pick<Central, 'url' | 'issueEnrolmentCode'>,
  postId: string,
  n: number,
  network?: Pick<DeskNetwork, 'roundMs' | 'goneAfterMs' | 'deskStatus' | 'backupQuotaBytes' | 'relay'>,
): Promise<Desk[]> {
  const ports = network ? await freePorts(n) : []
  const desks: Desk[] = []
  for (let i = 0; i < n; i++) {
    const net = network ? { ...network, port: ports[i]!, peers: ports.filter((_, j) => j !== i).map((p) => `127.0.0.1:${p}`) } : undefined
    desks.push(await enrolDesk(central, postId, net))
  }
  for (const desk of desks) expect(await desk.kiosk.heartbeat.send()).toMatchObject({ ok: true })
  return desks
}

/**
 * Points an enrolled desk's central at a port nothing listens on (its enrolment row names central's address), as if
 * only this desk's uplink were cut; closes the desk first. Returns the dead address. Reopen it with `reopenDesk`.
 */
export async function cutUplink(desk: Desk): Promise<string> {
  await desk.kiosk.call('queue.status')
  desk.close()
  const [port] = await freePorts(1)
  const dead = `http://127.0.0.1:${port}`
  const db = new Database(join(desk.dataDir, 'posko.db'))
  const changed = db.prepare("UPDATE settings SET value = json_set(value, '$.centralUrl', ?) WHERE key = 'enrolment'").run(dead).changes
  db.close()
  expect(changed).toBe(1)
  return dead
}

/** Polls until `check` holds (or fails the test after `ms`). */
export async function eventually(check: () => boolean, ms = 8000, what = 'condition'): Promise<void> {
  const until = Date.now() + ms
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

export function channelDeps(desk: Desk, limits?: ChannelDeps['limits']): ChannelDeps & { peers: PeerList; logger: ReturnType<typeof createMemoryLogger> } {
  const logger = createMemoryLogger()
  const now = () => new Date()
  return {
    identity: () => desk.kiosk.postTrust.identity(),
    roster: () => desk.kiosk.postTrust.roster(),
    postId: desk.postId,
    kioskId: () => desk.kioskId,
    peers: createPeerList({ logger, now }),
    logger,
    now,
    limits,
  }
}

/**
 * `asker` and `desk` as desks of a later version would talk, made of the real ones: a peer server with `desk`'s
 * certificate (on `port`, or any free one; `asker` is configured to it) passes every request it gets on to `desk`'s
 * own server at `target`, connected as `asker`, through `request`, and the answer back through `answer` — what a later
 * version would send, e.g. a field this version does not know. `pairing`: both are strangers (a post that never
 * reached central) and it is heard for `pair.*`. The requests it passed on are counted by method. Closed after the test.
 */
export async function laterVersionLink(
  desk: Desk,
  asker: Desk,
  options: {
    target: number
    port?: number
    pairing?: boolean
    request?: (method: string, params: unknown) => unknown
    answer?: (method: string, answer: unknown) => unknown
  },
): Promise<{ port: number; passed: Map<string, number> }> {
  const mode = options.pairing ? 'pairing' : 'desk'
  const own = options.pairing ? (d: Desk) => ({ ...channelDeps(d), kioskId: () => d.kiosk.postTrust.localKioskId() }) : (d: Desk) => channelDeps(d)
  const passed = new Map<string, number>()
  let upstream: PeerConnection | null = null
  // One request at a time on the connection to `desk`, as on every peer connection.
  let queue: Promise<unknown> = Promise.resolve()
  const pass = (method: string, params: unknown): Promise<unknown> => {
    const next = queue.then(async () => {
      if (!upstream || upstream.closed) upstream = await connectToPeer(own(asker), { host: '127.0.0.1', port: options.target, source: 'config' }, mode)
      passed.set(method, (passed.get(method) ?? 0) + 1)
      try {
        const answer = await upstream.request(method, options.request ? options.request(method, params) : params)
        return options.answer ? options.answer(method, answer) : answer
      } catch (error) {
        // `desk`'s refusal, passed on as it is.
        if (error instanceof ChannelError && error.code === 'remote_error') throw new PeerRequestError(error.reason ?? 'internal')
        throw error
      }
    })
    queue = next.catch(() => undefined)
    return next
  }
  const server = await startPeerServer(
    { ...own(desk), strangers: () => options.pairing === true },
    (method, params) => pass(method, params),
    { host: '127.0.0.1', port: options.port ?? 0 },
    options.pairing ? (method, params) => pass(method, params) : undefined,
  )
  afterThisTest(async () => {
    upstream?.close()
    await server.close()
  })
  return { port: server.port, passed }
}

/** Adds `fields` to an object (a request's params or an answer); anything else as it is. */
export const withFields = (value: unknown, fields: Record<string, unknown>): unknown =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...value, ...fields } : value

/** Adds `fields` to a value with a `bundles` list and `each` to every bundle in it (a backup put or a fetch page). */
export const withBundleFields = (value: unknown, fields: Record<string, unknown>, each: Record<string, unknown>): unknown => ({
  ...(withFields(value, fields) as object),
  bundles: (value as { bundles: unknown[] }).bundles.map((bundle) => withFields(bundle, each)),
})

/** `text` is in no file of these desks (and `dirs`, e.g. central's) and in nothing they logged. */
export function expectNowhere(text: string, desks: Desk[], dirs: string[] = []): void {
  for (const dir of [...desks.map((d) => d.dataDir), ...dirs]) expect(filesHolding(dir, text)).toEqual([])
  for (const desk of desks) expect(JSON.stringify(desk.logger!.entries)).not.toContain(text)
}

/** The files under `dir` (the desk's database and its WAL, restore folders, settings) whose bytes contain `text`. */
export function filesHolding(dir: string, text: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .filter((file) => readFileSync(file).includes(text))
}
