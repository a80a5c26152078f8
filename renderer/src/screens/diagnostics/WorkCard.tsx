import { useTranslation } from 'react-i18next'
import type { QueueStatus } from '../../../../common/records'
import type { UploadState } from '../../../../common/upload'
import { RecordState } from '../../../../common/records'
import { formatInstant } from './format'

/** The queue by state and the uploader in the words the home screen uses, so IT and the post read the same thing. */
export function WorkCard(props: { queue: QueueStatus; upload: UploadState }) {
  const { t, i18n } = useTranslation()
  const { queue, upload } = props
  const number = new Intl.NumberFormat(i18n.language)
  const when = (iso: string | null) => (iso ? formatInstant(iso, i18n.language) : t('upload.never'))
  return (
    <section className="card diag-card" aria-labelledby="diag-work">
      <h2 id="diag-work">{t('diagnostics.work.title')}</h2>
      <table className="queue-table">
        <caption className="visually-hidden">{t('diagnostics.work.queue')}</caption>
        <tbody>
          {RecordState.options.map((state) => (
            <tr key={state}>
              <th scope="row">{t(`state.${state}`)}</th>
              <td data-state={state}>{number.format(queue.counts[state])}</td>
            </tr>
          ))}
          <tr>
            <th scope="row">{t('diagnostics.work.awaitingReview')}</th>
            <td data-state="awaiting-review">{number.format(queue.awaitingReview)}</td>
          </tr>
          <tr>
            <th scope="row">{t('diagnostics.work.total')}</th>
            <td data-state="total">{number.format(queue.total)}</td>
          </tr>
        </tbody>
      </table>
      <dl className="facts diag-facts">
        <dt>{t('diagnostics.work.upload')}</dt>
        <dd data-diag="upload-status">{t(`upload.status.${upload.status}`)}</dd>
        <dt>{t('upload.pending')}</dt>
        <dd>{number.format(upload.pending)}</dd>
        <dt>{t('upload.lastSync')}</dt>
        <dd>{when(upload.lastSyncAt)}</dd>
        {upload.nextAttemptAt && (
          <>
            <dt>{t('upload.nextAttempt')}</dt>
            <dd>{when(upload.nextAttemptAt)}</dd>
          </>
        )}
        <dt>{t('diagnostics.work.lastError')}</dt>
        <dd>{upload.lastError ? t(`errors.upload.${upload.lastError}`) : t('diagnostics.none')}</dd>
      </dl>
    </section>
  )
}
