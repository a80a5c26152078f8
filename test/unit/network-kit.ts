import { join } from 'node:path'
import Database from 'better-sqlite3'
import { expect } from 'vitest'
import type { KioskOptions } from '../../main/services/kiosk'
import type { ChannelDeps } from '../../main/services/network/channel'
import type { PeerList } from '../../main/services/network/peers'
import { createPeerList } from '../../main/services/network/peers'
import { createMemoryLogger } from '../../main/services/platform/logger'
import type { Central } from '../central/server'
import { freePorts } from '../fixtures/ports'
import { openKiosk } from './helpers'

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
