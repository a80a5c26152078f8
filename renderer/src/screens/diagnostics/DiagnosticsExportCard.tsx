import type { FormEvent } from 'react'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { DiagnosticsExportResult } from '../../../../common/operations'
import type { PoskoErrorShape } from '../../../../common/result'
import { callPosko } from '../../api'
import { FolderPicker } from '../../components/drives/FolderPicker'
import { formatBytes, pathError } from '../../format'
import { exportErrorKey } from './reasons'

type Export = { status: 'idle' } | { status: 'running' } | { status: 'done'; value: DiagnosticsExportResult } | { status: 'failed'; error: PoskoErrorShape }

/**
 * "Ekspor diagnostik": one .tar.gz (the report and the redacted log tails, no personal data) into a folder,
 * usually a USB stick (chosen from the drives the kiosk sees, or typed as an absolute path), for IT to read
 * elsewhere.
 */
export function DiagnosticsExportCard() {
  const { t, i18n } = useTranslation()
  const [directory, setDirectory] = useState('')
  const [fieldError, setFieldError] = useState<string | undefined>()
  const [job, setJob] = useState<Export>({ status: 'idle' })
  const running = job.status === 'running'

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    if (running) return
    const problem = pathError(directory)
    setFieldError(problem)
    if (problem) return document.getElementById('diag-directory')?.focus()
    setJob({ status: 'running' })
    const result = await callPosko((posko) => posko.diagnostics.export({ directory: directory.trim() }))
    setJob(result.ok ? { status: 'done', value: result.value } : { status: 'failed', error: result.error })
  }

  return (
    <section className="card diag-card" aria-labelledby="diag-export" aria-busy={running}>
      <h2 id="diag-export">{t('diagnostics.export.title')}</h2>
      <p>{t('diagnostics.export.intro')}</p>
      <form className="diag-export-form" noValidate onSubmit={(event) => void onSubmit(event)}>
        <FolderPicker
          id="diag-directory"
          field={{ label: t('diagnostics.export.directory'), hint: t('diagnostics.export.directoryHint') }}
          error={fieldError}
          onChange={setDirectory}
          onEdit={() => setFieldError(undefined)}
        />
        <div className="actions actions-start">
          <button type="submit" className="primary" disabled={running}>
            {running ? t('diagnostics.export.running') : t('diagnostics.export.submit')}
          </button>
        </div>
      </form>
      {/* Present (empty) from the start: a live region that appears with its text is often not announced. */}
      <p className={job.status === 'done' ? 'verdict verdict-ok' : 'status-idle'} role="status">
        {job.status === 'done' && t('diagnostics.export.done')}
      </p>
      {job.status === 'done' && (
        <dl className="facts diag-facts">
          <dt>{t('diagnostics.export.file')}</dt>
          <dd className="mono record-id" data-diag="export-file">
            {job.value.file}
          </dd>
          <dt>{t('diagnostics.export.size')}</dt>
          <dd data-diag="export-size">{formatBytes(job.value.bytes, i18n.language)}</dd>
          <dt>{t('diagnostics.export.entries')}</dt>
          <dd className="mono record-id">{job.value.entries.join(', ')}</dd>
        </dl>
      )}
      {job.status === 'failed' && (
        <div className="error-panel" role="alert">
          <p>{t(exportErrorKey(job.error))}</p>
        </div>
      )}
    </section>
  )
}
