import type { FormEvent } from 'react'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ChannelOutput } from '../../../../../common/contract'
import { BundlePicker } from '../../../components/drives/BundlePicker'
import { focusField } from '../../../session/staffFields'
import { formatBytes, pathError } from '../../../format'
import { ProgressBar, ReasonError } from '../shared'
import { useJob } from '../useJob'
import { IMPORT_REASONS } from './reasons'
import { useBundleProgress } from './useBundleProgress'

type Imported = ChannelOutput<'bundle.import'>

/**
 * Import at a connected post: the file goes to central as it is (only central can open it), and central answers
 * what it did with each record. Importing the same file twice is harmless: central says it already has it.
 */
export function BundleImportCard() {
  const { t, i18n } = useTranslation()
  const [file, setFile] = useState('')
  const [fieldError, setFieldError] = useState<string | undefined>()
  const { job, run } = useJob<Imported>()
  const [progress, resetProgress] = useBundleProgress('import')
  const running = job.status === 'running'

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const problem = pathError(file)
    setFieldError(problem)
    if (problem) return focusField('import-file')
    resetProgress()
    await run((posko) => posko.bundle.import({ file: file.trim() }))
  }

  const bytes = (n: number) => formatBytes(n, i18n.language)
  return (
    <section className="card tool-card" aria-labelledby="import-title" aria-busy={running}>
      <h2 id="import-title">{t('tools.bundle.import.title')}</h2>
      <p>{t('tools.bundle.import.intro')}</p>
      <form noValidate onSubmit={(event) => void onSubmit(event)}>
        <BundlePicker
          id="import-file"
          field={{ label: t('tools.bundle.import.file'), hint: t('tools.bundle.import.fileHint') }}
          error={fieldError}
          onChange={setFile}
          onEdit={() => setFieldError(undefined)}
        />
        <div className="actions actions-start">
          <button type="submit" className="primary" disabled={running}>
            {running ? t('tools.bundle.import.running') : t('tools.bundle.import.submit')}
          </button>
        </div>
      </form>
      {running && (
        <ProgressBar
          label={t('tools.bundle.import.progress')}
          done={progress?.done}
          total={progress?.total}
          text={progress ? t('tools.bundle.import.progressText', { done: bytes(progress.done), total: bytes(progress.total) }) : t('tools.working')}
        />
      )}
      <p className={job.status === 'done' ? 'verdict verdict-ok' : 'status-idle'} role="status">
        {job.status === 'done' && (job.value.replayed ? t('tools.bundle.import.replayed') : t('tools.bundle.import.done'))}
      </p>
      {job.status === 'done' && <ImportCounts result={job.value} />}
      {job.status === 'failed' && <ReasonError error={job.error} reasons={IMPORT_REASONS} />}
    </section>
  )
}

function ImportCounts(props: { result: Imported }) {
  const { t, i18n } = useTranslation()
  const { result } = props
  const number = new Intl.NumberFormat(i18n.language)
  return (
    <>
      <dl className="facts tool-facts">
        <dt>{t('tools.bundle.import.post')}</dt>
        <dd className="mono">{result.postId}</dd>
        <dt>{t('tools.bundle.import.records')}</dt>
        <dd data-bundle="records">{number.format(result.records)}</dd>
        <dt>{t('tools.bundle.import.accepted')}</dt>
        <dd data-bundle="accepted">{number.format(result.accepted)}</dd>
        <dt>{t('tools.bundle.import.duplicate')}</dt>
        <dd data-bundle="duplicate">{number.format(result.duplicate)}</dd>
        <dt>{t('tools.bundle.import.rejected')}</dt>
        <dd data-bundle="rejected">{number.format(result.rejected)}</dd>
        <dt>{t('tools.bundle.import.photos')}</dt>
        <dd>{number.format(result.photos)}</dd>
      </dl>
      {result.rejected > 0 && <p className="note">{t('tools.bundle.import.rejectedHint')}</p>}
    </>
  )
}
