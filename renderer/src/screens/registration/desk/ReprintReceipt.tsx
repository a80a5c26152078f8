import { useRef } from 'react'
import { useTranslation } from 'react-i18next'
import type { Receipt } from '../../../../../common/records'
import { useCall } from '../../../api'
import { ErrorPanel } from '../../../components/ErrorPanel'
import { useFocusOnMount } from '../../../hooks/useFocusOnMount'
import { ReceiptStep } from '../ReceiptStep'

/**
 * The receipt of a registration already on this kiosk, to print again for the applicant at the desk (the NIK step's
 * duplicate notice). Reading the record for it is audited like opening it (`registration.get`).
 */
export function ReprintReceipt(props: { id: string; onBack: () => void; onRestart: () => void }) {
  const { t } = useTranslation()
  const [view, reload] = useCall(async (posko) => {
    const [record, info] = await Promise.all([posko.registration.get({ id: props.id }), posko.app.info()])
    if (!record.ok) return record
    if (!info.ok) return info
    const { record: r } = record.value
    const receipt: Receipt = { id: r.id, receiptNo: r.receiptNo, createdAt: r.createdAt, postId: r.postId, postName: info.value.postName, state: record.value.state }
    return { ok: true as const, value: receipt }
  })
  const headingRef = useRef<HTMLHeadingElement>(null)
  useFocusOnMount(headingRef)
  return (
    <div className="registration">
      <h1 ref={headingRef} tabIndex={-1}>
        {view.status === 'ready' ? t('desk.duplicate.reprintTitle', { receiptNo: view.value.receiptNo }) : t('registration.title')}
      </h1>
      <div className="actions actions-start no-print">
        <button type="button" onClick={props.onBack}>
          {t('desk.duplicate.backToRegistration')}
        </button>
      </div>
      {view.status === 'loading' && <p role="status">{t('app.loading')}</p>}
      {view.status === 'error' && <ErrorPanel error={view.error} onRetry={reload} />}
      {view.status === 'ready' && (
        <section className="card step">
          <ReceiptStep receipt={view.value} onRestart={props.onRestart} />
        </section>
      )}
    </div>
  )
}
