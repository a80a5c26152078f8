import { useCallback } from 'react'
import { useTranslation } from 'react-i18next'
import type { QueueStatus } from '../../../../../common/records'
import { exportableRecords } from '../../../../../common/records'
import { useCall, useEvent } from '../../../api'
import type { ChannelOutput } from '../../../../../common/contract'
import { FolderPicker } from '../../../components/drives/FolderPicker'
import { usePathField } from '../../../components/drives/usePathField'
import { JobCard } from '../../../components/job/JobCard'
import { reasonKey } from '../../../components/job/reasonKey'
import { useJob } from '../../../components/job/useJob'
import { fileNameOf, formatBytes } from '../../../format'
import { EXPORT_REASONS } from './reasons'
import { useBundleProgress } from './useBundleProgress'

type Exported = ChannelOutput<'bundle.export'>

/**
 * Export at a post without internet: every record still to upload goes into one file on the stick, chosen from
 * the USB drives the kiosk sees (or a folder typed as an absolute path).
 */
export function BundleExportCard() {
  const { t, i18n } = useTranslation()
  const directory = usePathField('export-directory')
  const { job, run } = useJob<Exported>()
  const [progress, resetProgress] = useBundleProgress('export')
  const number = new Intl.NumberFormat(i18n.language)

  // What the export would write, known before a drive is chosen, and kept current as records change state.
  const [queue, , setQueue] = useCall((posko) => posko.queue.status())
  useEvent(
    'queue.changed',
    useCallback((next: QueueStatus) => setQueue(next), [setQueue]),
  )
  const toWrite = queue.status === 'ready' ? exportableRecords(queue.value) : null
  const nothing = toWrite === 0 && job.status !== 'done'

  const onSubmit = () => {
    if (nothing) return
    const chosen = directory.take()
    if (chosen === null) return
    resetProgress()
    void run((posko) => posko.bundle.export({ directory: chosen }))
  }

  return (
    <JobCard
      titleId="export-title"
      texts="tools.bundle.export"
      className="tool-card"
      job={job}
      onSubmit={onSubmit}
      submitDisabled={nothing}
      fields={
        <>
          {toWrite !== null && (
            <p role="status" className={nothing ? 'tool-warning' : 'note'} data-bundle="will-write">
              {nothing ? t('tools.bundle.export.nothing') : t('tools.bundle.export.willWrite', { count: toWrite, formatted: number.format(toWrite) })}
            </p>
          )}
          {!nothing && <FolderPicker {...directory.picker} field={{ label: t('tools.bundle.export.directory'), hint: t('tools.bundle.export.directoryHint') }} />}
        </>
      }
      progress={{
        label: t('tools.bundle.export.progress'),
        done: progress?.done,
        total: progress?.total,
        text: progress ? t('tools.bundle.export.progressText', { done: number.format(progress.done), total: number.format(progress.total) }) : t('tools.working'),
      }}
      doneText={(exported) => t('tools.bundle.export.done', { count: exported.records })}
      result={(exported) => (
        <>
          <dl className="facts tool-facts">
            <dt>{t('tools.bundle.export.file')}</dt>
            <dd className="mono record-id" data-bundle="file">
              {fileNameOf(exported.file)}
            </dd>
            <dt>{t('tools.bundle.export.records')}</dt>
            <dd data-bundle="records">{number.format(exported.records)}</dd>
            <dt>{t('tools.bundle.export.photos')}</dt>
            <dd data-bundle="photos">{number.format(exported.photos)}</dd>
            <dt>{t('tools.bundle.export.size')}</dt>
            <dd data-bundle="size">{formatBytes(exported.bytes, i18n.language)}</dd>
          </dl>
          <p className="note">{t('tools.bundle.export.next')}</p>
        </>
      )}
      refusal={(error) => reasonKey(error, EXPORT_REASONS)}
    />
  )
}
