import { useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ChannelOutput } from '../../../../../common/contract'
import type { AppInfo } from '../../../../../common/settings'
import { ErrorPanel } from '../../../components/ErrorPanel'
import { useFocusOnMount } from '../../../hooks/useFocusOnMount'
import { ProgressBar } from '../../../components/job/ProgressBar'
import { useJob } from '../../../components/job/useJob'
import { ConfirmDialog } from './ConfirmDialog'

type Purged = ChannelOutput<'retention.purge'>

/**
 * "Penghapusan data": the retention rule in words, and the supervisor's way to apply it now rather than at the
 * next automatic run (before handing a kiosk back, say). Only records central holds are ever erased.
 */
export function PurgeScreen(props: { info: AppInfo }) {
  const { t } = useTranslation()
  const [confirming, setConfirming] = useState(false)
  const { job, run } = useJob<Purged>()
  const headingRef = useRef<HTMLHeadingElement>(null)
  const startRef = useRef<HTMLButtonElement>(null)
  useFocusOnMount(headingRef)
  const days = props.info.retentionDays
  const running = job.status === 'running'

  const close = () => {
    setConfirming(false)
    startRef.current?.focus()
  }
  const purge = () => {
    setConfirming(false)
    void run((posko) => posko.retention.purge()).then(() => startRef.current?.focus())
  }

  return (
    <div className="tools purge">
      <h1 ref={headingRef} tabIndex={-1}>
        {t('tools.purge.title')}
      </h1>
      <section className="card tool-card" aria-labelledby="purge-rule" aria-busy={running}>
        <h2 id="purge-rule">{t('tools.purge.ruleTitle')}</h2>
        <p className="tool-rule">{days === 0 ? t('tools.purge.ruleNow') : t('tools.purge.rule', { count: days })}</p>
        <p>{t('tools.purge.kept')}</p>
        <p>{t('tools.purge.auto')}</p>
        <div className="actions actions-start">
          <button type="button" ref={startRef} className="primary danger" disabled={running} onClick={() => setConfirming(true)}>
            {running ? t('tools.purge.running') : t('tools.purge.run')}
          </button>
        </div>
        {running && <ProgressBar label={t('tools.purge.running')} text={t('tools.working')} />}
        <p className={job.status === 'done' ? 'verdict verdict-ok' : 'status-idle'} role="status">
          {job.status === 'done' && <PurgeOutcome counts={job.value} />}
        </p>
        {job.status === 'failed' && <ErrorPanel error={job.error} />}
      </section>
      {confirming && (
        <ConfirmDialog
          id="purge-confirm"
          title={t('tools.purge.confirmTitle')}
          text={days === 0 ? t('tools.purge.confirmTextNow') : t('tools.purge.confirmText', { count: days })}
          confirm={t('tools.purge.confirm')}
          cancel={t('tools.purge.cancel')}
          onConfirm={purge}
          onCancel={close}
        />
      )}
    </div>
  )
}

function PurgeOutcome(props: { counts: Purged }) {
  const { t } = useTranslation()
  const { records, photos } = props.counts
  if (records === 0) return <>{t('tools.purge.nothing')}</>
  return <>{t('tools.purge.done', { records: t('tools.purge.records', { count: records }), photos: t('tools.purge.photos', { count: photos }) })}</>
}
