import { useTranslation } from 'react-i18next'
import type { ChannelOutput } from '../../../../../common/contract'
import { BundlePicker } from '../../../components/drives/BundlePicker'
import { usePathField } from '../../../components/drives/usePathField'
import { JobCard } from '../../../components/job/JobCard'
import { reasonKey } from '../../../components/job/reasonKey'
import { useJob } from '../../../components/job/useJob'
import { formatBytes } from '../../../format'
import { IMPORT_REASONS } from './reasons'
import { useBundleProgress } from './useBundleProgress'

type Imported = ChannelOutput<'bundle.import'>

/**
 * Import at a connected post: the file goes to central as it is (only central can open it), and central answers
 * what it did with each record. Importing the same file twice is harmless: central says it already has it.
 */
export function BundleImportCard() {
  const { t, i18n } = useTranslation()
  const file = usePathField('import-file')
  const { job, run } = useJob<Imported>()
  const [progress, resetProgress] = useBundleProgress('import')
  const bytes = (n: number) => formatBytes(n, i18n.language)

  const onSubmit = () => {
    const chosen = file.take()
    if (chosen === null) return
    resetProgress()
    void run((posko) => posko.bundle.import({ file: chosen }))
  }

  return (
    <JobCard
      titleId="import-title"
      texts="tools.bundle.import"
      className="tool-card"
      job={job}
      onSubmit={onSubmit}
      fields={<BundlePicker {...file.picker} field={{ label: t('tools.bundle.import.file'), hint: t('tools.bundle.import.fileHint') }} />}
      progress={{
        label: t('tools.bundle.import.progress'),
        done: progress?.done,
        total: progress?.total,
        text: progress ? t('tools.bundle.import.progressText', { done: bytes(progress.done), total: bytes(progress.total) }) : t('tools.working'),
      }}
      doneText={(imported) => (imported.replayed ? t('tools.bundle.import.replayed') : t('tools.bundle.import.done'))}
      result={(imported) => <ImportCounts result={imported} />}
      refusal={(error) => reasonKey(error, IMPORT_REASONS)}
    />
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
