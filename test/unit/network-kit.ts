import { expect } from 'vitest'
import type { ChannelDeps } from '../../main/services/network/channel'
import type { PeerList } from '../../main/services/network/peers'
import { createPeerList } from '../../main/services/network/peers'
import { createMemoryLogger } from '../../main/services/platform/logger'
import type { Central } from '../central/server'
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
  close(): void
}

export async function enrolDesk(central: Pick<Central, 'url' | 'issueEnrolmentCode'>, postId: string): Promise<Desk> {
  const first = openKiosk({ config: { postId }, role: 'it' })
  const result = (await first.kiosk.call('enrolment.enrol', { centralUrl: central.url, postId, code: central.issueEnrolmentCode(postId).code })) as {
    ok: boolean
    value: { kioskKeyId: string }
  }
  expect(result.ok).toBe(true)
  first.close()
  const desk = openKiosk({ dataDir: first.dataDir, config: { postId }, role: 'it' })
  return { kiosk: desk.kiosk, dataDir: first.dataDir, kioskId: result.value.kioskKeyId, postId, close: desk.close }
}

export async function postDesks(central: Pick<Central, 'url' | 'issueEnrolmentCode'>, postId: string, n: number): Promise<Desk[]> {
  const desks: Desk[] = []
  for (let i = 0; i < n; i++) desks.push(await enrolDesk(central, postId))
  for (const desk of desks) expect(await desk.kiosk.heartbeat.send()).toMatchObject({ ok: true })
  return desks
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
