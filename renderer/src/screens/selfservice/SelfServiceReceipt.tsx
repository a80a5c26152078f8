import type { RefObject } from 'react'
import { useTranslation } from 'react-i18next'
import type { Receipt } from '../../../../common/records'
import { ReceiptSheet } from '../../components/receipt/ReceiptSheet'
import { useReceiptPrint } from '../registration/useReceiptPrint'

/**
 * All an applicant takes away: the receipt number, large, and its QR code. "Selesai" returns the kiosk to the
 * welcome screen for the next person (so does the idle timer, for whoever walks off without pressing it).
 */
export function SelfServiceReceipt(props: { receipt: Receipt; headingRef: RefObject<HTMLHeadingElement | null>; onDone: () => void }) {
  const { t } = useTranslation()
  const { receipt } = props
  // The desk's printing (the kiosk's printer, else the browser's dialog); no PDF copy for applicants.
  const printing = useReceiptPrint()
  const { outcome } = printing

  return (
    <div className="ss-page ss-receipt-page">
      <ReceiptSheet
        receipt={receipt}
        className="ss-receipt"
        heading={
          <>
            <h1 ref={props.headingRef} tabIndex={-1}>
              {t('selfService.receipt.title')}
            </h1>
            <p>{t('selfService.receipt.intro')}</p>
          </>
        }
      />
      <p className={outcome.kind === 'not_printed' || outcome.kind === 'failed' ? 'field-error no-print' : 'status-idle no-print'} role="status">
        {outcome.kind === 'printed' && t('registration.receipt.printed')}
        {(outcome.kind === 'not_printed' || outcome.kind === 'failed') && t('selfService.receipt.printFailed')}
      </p>
      <div className="actions ss-actions no-print">
        <button type="button" disabled={outcome.kind === 'working'} onClick={() => void printing.print(false)}>
          {outcome.kind === 'working' ? t('registration.receipt.printing') : t('registration.receipt.print')}
        </button>
        <button type="button" className="primary" onClick={props.onDone}>
          {t('selfService.receipt.done')}
        </button>
      </div>
    </div>
  )
}
