import type { PostOverviewView } from '../../../common/network'
import type { PostDesksRepository } from '../store/post-desks'
import type { PeerEntry } from './peers'
import type { PostTrust } from './trust'

/**
 * The post's day as every desk's home screen shows it (issue 21.4): totals today — registered and answered by central
 * (`uploaded`) over every desk's log, `waiting` this desk's live queue plus each other desk's last reported queue —
 * and each desk of the roster (revoked ones left out): online (connected now), when last seen (the later of the last
 * answer this session and its latest event in the log, which survives a restart), its queue depth (its last status
 * event). Null when the kiosk has no post network (not enrolled, no roster): the screen then shows nothing new.
 * "Today" is this kiosk's local day, the same day its receipt numbers carry.
 */
export function createPostOverview(deps: {
  repo: PostDesksRepository
  trust: Pick<PostTrust, 'roster'>
  kioskId: () => string | null
  peers: () => PeerEntry[]
  queueDepth: () => number
  now: () => Date
}): { view(): PostOverviewView | null } {
  return {
    view() {
      const self = deps.kioskId()
      const roster = deps.trust.roster()
      if (!self || !roster) return null
      const now = deps.now()
      const from = new Date(now.getFullYear(), now.getMonth(), now.getDate())
      const to = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1)
      const { registered, uploaded } = deps.repo.dayTotals(from.toISOString(), to.toISOString())
      const connected = new Map(deps.peers().flatMap((p) => (p.kioskId ? [[p.kioskId, p] as const] : [])))
      const ownDepth = deps.queueDepth()
      let waiting = ownDepth
      const desks = roster.kiosks
        .filter((k) => !k.revoked)
        .map((k) => {
          if (k.kioskId === self) return { kioskId: k.kioskId, name: k.name, self: true, online: true, lastSeenAt: now.toISOString(), queueDepth: ownDepth }
          const peer = connected.get(k.kioskId)
          const status = deps.repo.latestStatus(k.kioskId)
          if (status) waiting += status.queueDepth
          const seen = [peer?.lastSeenAt, deps.repo.latestEventAt(k.kioskId)].filter((t): t is string => Boolean(t)).sort()
          return {
            kioskId: k.kioskId,
            name: k.name,
            self: false,
            online: peer?.state === 'connected',
            lastSeenAt: seen.at(-1) ?? null,
            queueDepth: status?.queueDepth ?? null,
          }
        })
      return { day: from.toISOString(), totals: { registered, uploaded, waiting }, desks }
    },
  }
}

