import { useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { useCall } from '../../../api'
import { ErrorPanel } from '../../../components/ErrorPanel'
import { useFocusOnMount } from '../../../hooks/useFocusOnMount'
import { ReceiptStep } from '../ReceiptStep'

/**
 * The receipt of a registration already on this kiosk, to print again for the applicant at the desk (the NIK step's
 * duplicate notice), through `registration.reprint`, which main audits as a reprint.
 */
export function ReprintReceipt(props: { id: string; onBack: () => void; onRestart: () => void }) {
  const { t } = useTranslation()
  // The receipt as printed (name, masked NIK, programme, next steps); main audits it as a reprint.
  const [view, reload] = useCall((posko) => posko.registration.reprint({ id: props.id }))
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
