import type { FormEvent } from 'react'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ChannelOutput } from '../../../../../common/contract'
import { FolderPicker } from '../../../components/drives/FolderPicker'
import { focusField } from '../../../session/staffFields'
import { fileNameOf, formatBytes, pathError } from '../../../format'
import { ProgressBar, ReasonError } from '../shared'
import { useJob } from '../useJob'
import { EXPORT_REASONS } from './reasons'
import { useBundleProgress } from './useBundleProgress'

type Exported = ChannelOutput<'bundle.export'>

/**
 * Export at a post without internet: every record still to upload goes into one file on the stick, chosen from
 * the USB drives the kiosk sees (or a folder typed as an absolute path).
 */
export function BundleExportCard() {
  const { t, i18n } = useTranslation()
  const [directory, setDirectory] = useState('')
  const [fieldError, setFieldError] = useState<string | undefined>()
  const { job, run } = useJob<Exported>()
  const [progress, resetProgress] = useBundleProgress('export')
  const running = job.status === 'running'

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const problem = pathError(directory)
    setFieldError(problem)
    if (problem) return focusField('export-directory')
    resetProgress()
    await run((posko) => posko.bundle.export({ directory: directory.trim() }))
  }

  const number = new Intl.NumberFormat(i18n.language)
  return (
    <section className="card tool-card" aria-labelledby="export-title" aria-busy={running}>
      <h2 id="export-title">{t('tools.bundle.export.title')}</h2>
      <p>{t('tools.bundle.export.intro')}</p>
      <form noValidate onSubmit={(event) => void onSubmit(event)}>
        <FolderPicker
          id="export-directory"
          field={{ label: t('tools.bundle.export.directory'), hint: t('tools.bundle.export.directoryHint') }}
          error={fieldError}
          onChange={setDirectory}
          onEdit={() => setFieldError(undefined)}
        />
        <div className="actions actions-start">
          <button type="submit" className="primary" disabled={running}>
            {running ? t('tools.bundle.export.running') : t('tools.bundle.export.submit')}
          </button>
        </div>
      </form>
      {running && (
        <ProgressBar
          label={t('tools.bundle.export.progress')}
          done={progress?.done}
          total={progress?.total}
          text={progress ? t('tools.bundle.export.progressText', { done: number.format(progress.done), total: number.format(progress.total) }) : t('tools.working')}
        />
      )}
      {/* Present (empty) from the start: a live region that appears with its text is often not announced. */}
      <p className={job.status === 'done' ? 'verdict verdict-ok' : 'status-idle'} role="status">
        {job.status === 'done' && t('tools.bundle.export.done', { count: job.value.records })}
      </p>
      {job.status === 'done' && (
        <>
          <dl className="facts tool-facts">
            <dt>{t('tools.bundle.export.file')}</dt>
            <dd className="mono record-id" data-bundle="file">
              {fileNameOf(job.value.file)}
            </dd>
            <dt>{t('tools.bundle.export.records')}</dt>
            <dd data-bundle="records">{number.format(job.value.records)}</dd>
            <dt>{t('tools.bundle.export.photos')}</dt>
            <dd data-bundle="photos">{number.format(job.value.photos)}</dd>
            <dt>{t('tools.bundle.export.size')}</dt>
            <dd data-bundle="size">{formatBytes(job.value.bytes, i18n.language)}</dd>
          </dl>
          <p className="note">{t('tools.bundle.export.next')}</p>
        </>
      )}
      {job.status === 'failed' && <ReasonError error={job.error} reasons={EXPORT_REASONS} />}
    </section>
  )
}
