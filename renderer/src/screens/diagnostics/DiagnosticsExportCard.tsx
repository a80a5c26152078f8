import { useTranslation } from 'react-i18next'
import type { DiagnosticsExportResult } from '../../../../common/operations'
import { FolderPicker } from '../../components/drives/FolderPicker'
import { usePathField } from '../../components/drives/usePathField'
import { JobCard } from '../../components/job/JobCard'
import { useJob } from '../../components/job/useJob'
import { formatBytes } from '../../format'
import { exportErrorKey } from './reasons'

/**
 * "Ekspor diagnostik": one .tar.gz (the report and the redacted log tails, no personal data) into a folder,
 * usually a USB stick (chosen from the drives the kiosk sees, or typed as an absolute path), for IT to read
 * elsewhere.
 */
export function DiagnosticsExportCard() {
  const { t, i18n } = useTranslation()
  const directory = usePathField('diag-directory')
  const { job, run } = useJob<DiagnosticsExportResult>()

  const onSubmit = () => {
    const chosen = directory.take()
    if (chosen !== null) void run((posko) => posko.diagnostics.export({ directory: chosen }))
  }

  return (
    <JobCard
      titleId="diag-export"
      texts="diagnostics.export"
      className="diag-card"
      formClassName="diag-export-form"
      job={job}
      onSubmit={onSubmit}
      fields={<FolderPicker {...directory.picker} field={{ label: t('diagnostics.export.directory'), hint: t('diagnostics.export.directoryHint') }} />}
      doneText={() => t('diagnostics.export.done')}
      result={(exported) => (
        <dl className="facts diag-facts">
          <dt>{t('diagnostics.export.file')}</dt>
          <dd className="mono record-id" data-diag="export-file">
            {exported.file}
          </dd>
          <dt>{t('diagnostics.export.size')}</dt>
          <dd data-diag="export-size">{formatBytes(exported.bytes, i18n.language)}</dd>
          <dt>{t('diagnostics.export.entries')}</dt>
          <dd className="mono record-id">{exported.entries.join(', ')}</dd>
        </dl>
      )}
      refusal={exportErrorKey}
    />
  )
}
