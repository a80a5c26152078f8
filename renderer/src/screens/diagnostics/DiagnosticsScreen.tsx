import { useRef } from 'react'
import { useTranslation } from 'react-i18next'
import type { AppInfo } from '../../../../common/settings'
import type { Diagnostics } from '../../../../common/operations'
import { useCall } from '../../api'
import { ErrorPanel } from '../../components/ErrorPanel'
import { useFocusOnMount } from '../../hooks/useFocusOnMount'
import { ConfigCard } from './ConfigCard'
import { ErrorsCard } from './ErrorsCard'
import { DiagnosticsExportCard } from './DiagnosticsExportCard'
import { formatInstant } from './format'
import { KioskCard } from './KioskCard'
import { PeersCard } from './PeersCard'
import { UpdateCard } from './UpdateCard'
import { WorkCard } from './WorkCard'
import './diagnostics.css'

/**
 * "Diagnostik", for IT and the supervisor on the phone with IT: one snapshot of what the kiosk knows about itself
 * (versions, queue, uploader, updater, disk, the last warnings and errors, the masked config) and a way to take
 * it away as a file. A snapshot on purpose: every part is from the same moment, and "Muat ulang" takes another.
 */
export function DiagnosticsScreen(props: { info: AppInfo }) {
  const { t } = useTranslation()
  const [report, reload] = useCall((posko) => posko.diagnostics.get())
  const headingRef = useRef<HTMLHeadingElement>(null)
  useFocusOnMount(headingRef)
  return (
    <div className="diagnostics">
      <h1 ref={headingRef} tabIndex={-1}>
        {t('diagnostics.title')}
      </h1>
      <p className="diag-intro">{t('diagnostics.intro')}</p>
      {report.status === 'loading' && <p role="status">{t('app.loading')}</p>}
      {report.status === 'error' && <ErrorPanel error={report.error} onRetry={reload} />}
      {report.status === 'ready' && <Report report={report.value} info={props.info} onReload={reload} />}
      <DiagnosticsExportCard />
    </div>
  )
}

function Report(props: { report: Diagnostics; info: AppInfo; onReload: () => void }) {
  const { t, i18n } = useTranslation()
  const { report } = props
  return (
    <>
      <div className="diag-snapshot">
        {/* A status, so a screen reader hears that "Muat ulang" brought a newer snapshot. */}
        <p role="status">{t('diagnostics.generatedAt', { when: formatInstant(report.generatedAt, i18n.language) })}</p>
        <button type="button" onClick={props.onReload}>
          {t('diagnostics.reload')}
        </button>
      </div>
      <div className="diag-grid">
        <KioskCard report={report} info={props.info} />
        <UpdateCard update={report.update} />
        <WorkCard queue={report.queue} upload={report.upload} />
      </div>
      {/* Keyed by the snapshot: "Muat ulang" asks the peer list again too. */}
      <PeersCard key={report.generatedAt} />
      <ErrorsCard errors={report.lastErrors} />
      <ConfigCard config={report.config} />
    </>
  )
}
