import { useTranslation } from 'react-i18next'
import type { Receipt } from '../../../../common/contract'
import { QrCode } from '../../components/QrCode'
import { formatDateTime } from '../../dates'

/** The one thing the applicant takes away: printable alone (see `@media print` in styles.css). */
export function ReceiptStep(props: { receipt: Receipt; onRestart: () => void }) {
  const { t, i18n } = useTranslation()
  const { receipt } = props
  return (
    <>
      <div className="receipt" data-printable="receipt">
        <p className="receipt-done" role="status">
          {t('registration.receipt.done')}
        </p>
        <dl className="receipt-facts">
          <dt>{t('registration.receipt.number')}</dt>
          <dd className="receipt-number">{receipt.receiptNo}</dd>
          <dt>{t('registration.receipt.createdAt')}</dt>
          <dd>{formatDateTime(receipt.createdAt, i18n.language)}</dd>
          <dt>{t('registration.receipt.post')}</dt>
          <dd>{t('app.post', { name: receipt.postName })}</dd>
          <dt>{t('registration.receipt.state')}</dt>
          <dd>{t(`state.${receipt.state}`)}</dd>
        </dl>
        {/* Short keys keep the code small enough to scan from a thermal printout. */}
        <QrCode text={JSON.stringify({ r: receipt.receiptNo, id: receipt.id })} alt={t('registration.receipt.qr', { receiptNo: receipt.receiptNo })} />
        <p>{t('registration.receipt.keep')}</p>
      </div>
      <div className="actions no-print">
        <button type="button" onClick={() => window.print()}>
          {t('registration.receipt.print')}
        </button>
        <button type="button" className="primary" onClick={props.onRestart}>
          {t('registration.receipt.again')}
        </button>
      </div>
    </>
  )
}
