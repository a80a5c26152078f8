import type { KioskMode } from '../../../common/settings'
import type { Handlers } from '../dispatch'
import type { AnomalyService } from '../network/anomalies'
import type { PairingService } from '../network/pairing'
import type { createPostOverview } from '../network/post-overview'
import type { NetworkService } from '../network/service'
import type { Actor } from '../registration/service'

type PostOverview = ReturnType<typeof createPostOverview>

/** The post's desks as staff see them: peers, the day's overview, NIKs registered twice, pairing. */
export function networkHandlers(deps: {
  network: NetworkService
  postOverview: PostOverview
  anomalies: AnomalyService
  pairing: PairingService
  sendMarks: () => void
  mode: () => KioskMode
  actor: () => Actor
}): Pick<Handlers, 'network.peers' | 'network.post' | 'network.anomalies' | 'network.pairing' | 'network.pairStart' | 'network.pairConfirm' | 'network.markDuplicate'> {
  const { network, postOverview, anomalies, pairing, sendMarks, mode, actor } = deps
  return {
    'network.peers': () => ({ peers: network.peers() }),
    'network.post': () => ({ post: mode() === 'self-service' ? null : postOverview.view() }),
    'network.anomalies': () => anomalies.list(),
    'network.pairing': () => pairing.view(),
    'network.pairStart': ({ address }) => pairing.start(address, actor().operatorId),
    'network.pairConfirm': (input) => pairing.confirm(input, actor().operatorId),
    'network.markDuplicate': (input) => {
      const marked = anomalies.mark(input, actor().operatorId)
      sendMarks()
      return marked
    },
  }
}
