import type { ReactNode } from 'react'
import { useCallback } from 'react'
import { useTranslation } from 'react-i18next'
import { formatDateTime } from '../dates'
import type { Role } from '../../../common/authz'
import { decideAccess } from '../../../common/authz'
import type { QueueStatus } from '../../../common/records'
import type { AppInfo } from '../../../common/settings'
import { RecordState } from '../../../common/records'
import { useCall, useEvent } from '../api'
import { ErrorPanel } from '../components/ErrorPanel'
import type { Screen } from '../navigation'
import { UploadPanel } from './home/UploadPanel'
import { PostPanel } from './home/PostPanel'
import { StoreHealthLine } from './home/StoreHealthLine'
import { BackupPanel } from './home/BackupPanel'
import { StickPanel } from './home/StickPanel'
import { KioskModeCard } from './selfservice/staff/KioskModeCard'

/**
 * What the post needs at a glance. The actions and panels follow what the signed-in role may do: IT sees the
 * queue and the uploader (counts, no personal data); an applicant at a self-service kiosk sees only the start.
 */
export function HomeScreen(props: {
  info: AppInfo
  signedIn: boolean
  role: Role | null
  screens: readonly Screen[]
  onNavigate: (screen: Screen) => void
  /** Parked registrations to resume (issue 19.2), right under the actions that start one. */
  drafts?: ReactNode
}) {
  const { t } = useTranslation()
  const can = (screen: Screen) => props.screens.includes(screen)
  const canSetMode = decideAccess('settings.setMode', props.role, props.info.mode) === 'allowed'
  const canDismissStoreLine = decideAccess('store.dismissMovedAside', props.role, props.info.mode) === 'allowed'
  return (
    <div className="home">
      <h1>{t('home.welcome', { post: t('app.post', { name: props.info.postName }) })}</h1>
      {props.signedIn && <StoreHealthLine canDismiss={canDismissStoreLine} />}
      {(can('register') || can('search')) && (
        <section className="home-actions" aria-labelledby="actions-title">
          <h2 id="actions-title" className="visually-hidden">
            {t('home.actions')}
          </h2>
          {can('register') && (
            <BigAction id="start-registration" primary title={t('home.startRegistration')} hint={t('home.startRegistrationHint')} onClick={() => props.onNavigate('register')} />
          )}
          {can('search') && <BigAction id="start-search" title={t('home.startSearch')} hint={t('home.startSearchHint')} onClick={() => props.onNavigate('search')} />}
        </section>
      )}
      {props.drafts}
      {props.signedIn && (
        <QueueCard canFix={can('rejected')} onFix={() => props.onNavigate('rejected')} canReview={can('review')} onReview={() => props.onNavigate('review')} />
      )}
      {props.signedIn && <UploadPanel />}
      {props.signedIn && <PostPanel />}
      {props.signedIn && <BackupPanel />}
      {props.signedIn && <StickPanel onManage={can('backup') ? () => props.onNavigate('backup') : undefined} />}
      {canSetMode && <KioskModeCard info={props.info} />}
      <section className="card" aria-labelledby="kiosk-title">
        <h2 id="kiosk-title">{t('home.kioskInfo')}</h2>
        <dl className="facts">
          <dt>{t('home.postId')}</dt>
          <dd>{props.info.postId}</dd>
          <dt>{t('home.mode')}</dt>
          <dd>{t(`mode.${props.info.mode}`)}</dd>
          <dt>{t('home.version')}</dt>
          <dd>{props.info.version}</dd>
        </dl>
      </section>
    </div>
  )
}

/**
 * Records by state, kept current by `queue.changed`; rejected ones lead straight to where they are fixed, and
 * self-service ones held for a staff check to where they are checked.
 */
function QueueCard(props: { canFix: boolean; onFix: () => void; canReview: boolean; onReview: () => void }) {
  const { t, i18n } = useTranslation()
  const [queue, reload, setQueue] = useCall((posko) => posko.queue.status())
  useEvent(
    'queue.changed',
    useCallback((next: QueueStatus) => setQueue(next), [setQueue]),
  )
  const number = new Intl.NumberFormat(i18n.language)
  const when = (iso: string) => formatDateTime(iso, i18n.language)
  return (
    <section className="card" aria-labelledby="queue-title">
      <h2 id="queue-title">{t('home.queueTitle')}</h2>
      {queue.status === 'loading' && <p role="status">{t('app.loading')}</p>}
      {queue.status === 'error' && <ErrorPanel error={queue.error} onRetry={reload} />}
      {queue.status === 'ready' && (
        <>
          <p>{t('home.queueTotal', { count: number.format(queue.value.total) })}</p>
          <table className="queue-table">
            <tbody>
              {RecordState.options.map((state) => (
                <tr key={state}>
                  <th scope="row">{t(`state.${state}`)}</th>
                  <td data-state={state}>{number.format(queue.value.counts[state])}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted">{queue.value.lastSyncAt ? t('home.lastSync', { when: when(queue.value.lastSyncAt) }) : t('home.neverSynced')}</p>
          {props.canFix && queue.value.counts.rejected > 0 && (
            <div className="actions actions-start">
              <button type="button" className="primary" onClick={props.onFix}>
                {t('home.rejectedLink', { count: queue.value.counts.rejected })}
              </button>
            </div>
          )}
          {props.canReview && queue.value.awaitingReview > 0 && (
            <div className="actions actions-start">
              <button type="button" className="primary" onClick={props.onReview}>
                {t('selfService.held.homeLink', { count: queue.value.awaitingReview })}
              </button>
            </div>
          )}
        </>
      )}
    </section>
  )
}

/** A large touch target whose name is its title; the hint is its description, not part of the name. */
function BigAction(props: { id: string; title: string; hint: string; primary?: boolean; onClick: () => void }) {
  return (
    <button
      type="button"
      className={props.primary ? 'big-action primary' : 'big-action'}
      aria-labelledby={`${props.id}-title`}
      aria-describedby={`${props.id}-hint`}
      onClick={props.onClick}
    >
      <span id={`${props.id}-title`} className="big-action-title">
        {props.title}
      </span>
      <span id={`${props.id}-hint`} className="big-action-hint">
        {props.hint}
      </span>
    </button>
  )
}
