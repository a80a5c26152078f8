import { useTranslation } from 'react-i18next'
import type { PeerRefusal, PeerView } from '../../../../common/network'
import { useCall } from '../../api'
import { ErrorPanel } from '../../components/ErrorPanel'
import { formatInstant } from './format'

/**
 * Every refusal reason main/services/network gives, in the words IT reads ("Perangkat dari posko lain"): a Record,
 * so a new reason does not compile until it has its sentence (and i18n.test.ts checks both languages have it).
 */
const REASONS: Record<PeerRefusal, string> = {
  no_certificate: 'postNetwork.reason.no_certificate',
  bad_certificate: 'postNetwork.reason.bad_certificate',
  unknown: 'postNetwork.reason.unknown',
  revoked: 'postNetwork.reason.revoked',
  other_post: 'postNetwork.reason.other_post',
  no_roster: 'postNetwork.reason.no_roster',
  self: 'postNetwork.reason.self',
  handshake_failed: 'postNetwork.reason.handshake_failed',
  bad_frame: 'postNetwork.reason.bad_frame',
  frame_too_large: 'postNetwork.reason.frame_too_large',
  frame_timeout: 'postNetwork.reason.frame_timeout',
  bad_page: 'postNetwork.reason.bad_page',
  newer_log: 'postNetwork.reason.newer_log',
}

/**
 * IT's view of the post network (issue 21.1/21.4): the desks of the post this kiosk found and every device it
 * refused, with why. Part of the diagnostics snapshot: "Muat ulang" asks again (the screen remounts it).
 */
export function PeersCard() {
  const { t } = useTranslation()
  const [peers, reload] = useCall((posko) => posko.network.peers())
  return (
    <section className="card diag-card diag-peers" aria-labelledby="diag-peers">
      <h2 id="diag-peers">{t('postNetwork.peers.title')}</h2>
      <p>{t('postNetwork.peers.intro')}</p>
      {peers.status === 'loading' && <p role="status">{t('app.loading')}</p>}
      {peers.status === 'error' && <ErrorPanel error={peers.error} onRetry={reload} />}
      {peers.status === 'ready' && peers.value.peers.length === 0 && <p className="muted">{t('postNetwork.peers.none')}</p>}
      {peers.status === 'ready' && peers.value.peers.length > 0 && <PeerTable peers={peers.value.peers} />}
    </section>
  )
}

function PeerTable(props: { peers: readonly PeerView[] }) {
  const { t, i18n } = useTranslation()
  return (
    <table className="peer-table">
      <caption className="visually-hidden">{t('postNetwork.peers.title')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('postNetwork.peers.device')}</th>
          <th scope="col">{t('postNetwork.peers.state')}</th>
          <th scope="col">{t('postNetwork.peers.reason')}</th>
          <th scope="col">{t('postNetwork.peers.address')}</th>
          <th scope="col">{t('postNetwork.peers.source')}</th>
          <th scope="col">{t('postNetwork.peers.lastSeen')}</th>
        </tr>
      </thead>
      <tbody>
        {props.peers.map((peer) => (
          <tr key={peer.kioskId ?? `${peer.certSha256 ?? ''}@${peer.address}`} data-peer-state={peer.state}>
            <th scope="row">{peer.name ?? t('postNetwork.peers.unnamed')}</th>
            <td>{t(`postNetwork.peers.states.${peer.state}`)}</td>
            <td data-peer-reason={peer.reason ?? undefined}>{peer.reason ? t(REASONS[peer.reason]) : ''}</td>
            <td>{peer.address}</td>
            <td>{t(`postNetwork.peers.sources.${peer.source}`)}</td>
            <td>{formatInstant(peer.lastSeenAt, i18n.language)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
