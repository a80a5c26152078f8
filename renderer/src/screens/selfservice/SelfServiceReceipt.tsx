import type { RefObject } from 'react'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Receipt } from '../../../../common/contract'
import { callPosko } from '../../api'
import { QrCode } from '../../components/QrCode'
import { formatDateTime } from '../../dates'

/**
 * All an applicant takes away: the receipt number, large, and its QR code. "Selesai" returns the kiosk to the
 * welcome screen for the next person (so does the idle timer, for whoever walks off without pressing it).
 */
export function SelfServiceReceipt(props: { receipt: Receipt; headingRef: RefObject<HTMLHeadingElement | null>; onDone: () => void }) {
  const { t, i18n } = useTranslation()
  const { receipt } = props
  const [printFailed, setPrintFailed] = useState(false)

  const print = async () => {
    setPrintFailed(false)
    const result = await callPosko((posko) => posko.receipt.print({ pdf: false }))
    // Browser mode has no kiosk printer: the browser's own print dialog, with the same print stylesheet.
    if (!result.ok && result.error.code === 'unavailable') return window.print()
    if (!result.ok || !result.value.printed) setPrintFailed(true)
  }

  return (
    <div className="ss-page ss-receipt-page">
      <div className="receipt ss-receipt" data-printable="receipt">
        <h1 ref={props.headingRef} tabIndex={-1}>
          {t('selfService.receipt.title')}
        </h1>
        <p>{t('selfService.receipt.intro')}</p>
        <p className="ss-receipt-label">{t('registration.receipt.number')}</p>
        <p className="ss-receipt-number">{receipt.receiptNo}</p>
        <QrCode text={JSON.stringify({ r: receipt.receiptNo, id: receipt.id })} alt={t('registration.receipt.qr', { receiptNo: receipt.receiptNo })} />
        <dl className="receipt-facts">
          <dt>{t('registration.receipt.createdAt')}</dt>
          <dd>{formatDateTime(receipt.createdAt, i18n.language)}</dd>
          <dt>{t('registration.receipt.post')}</dt>
          <dd>{t('app.post', { name: receipt.postName })}</dd>
        </dl>
        <p>{t('registration.receipt.keep')}</p>
      </div>
      {printFailed && (
        <p className="field-error no-print" role="alert">
          {t('selfService.receipt.printFailed')}
        </p>
      )}
      <div className="actions ss-actions no-print">
        <button type="button" onClick={() => void print()}>
          {t('registration.receipt.print')}
        </button>
        <button type="button" className="primary" onClick={props.onDone}>
          {t('selfService.receipt.done')}
        </button>
      </div>
    </div>
  )
}
