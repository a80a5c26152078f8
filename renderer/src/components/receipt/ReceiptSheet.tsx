import type { ReactNode } from 'react'
import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import type { Receipt } from '../../../../common/records'
import { useCall } from '../../api'
import { formatDateTime } from '../../dates'
import { QrCode } from '../QrCode'
import './receipt.css'

/** Where the registration stands, in the applicant's words (not the queue's "Menunggu unggah"). */
export function nextStepsKey(state: Receipt['state']): 'sending' | 'received' | 'fixing' | 'erased' {
  switch (state) {
    case 'queued':
    case 'uploading':
    case 'exported':
      return 'sending'
    case 'accepted':
    case 'duplicate':
      return 'received'
    case 'rejected':
      return 'fixing'
    case 'purged':
      return 'erased'
  }
}

/**
 * The receipt as printed (issue 19 point 8), for a new registration, the self-service kiosk and "Cetak ulang":
 * the programme, the applicant's name and masked NIK, the receipt number with its QR code, and what happens next.
 * Marked `data-printable` for the print stylesheet; the paper (A4, 80 mm, 58 mm) is the kiosk's setting and is put
 * on the document root while a receipt is on screen, so the print stylesheet can pick the page for it.
 * `data-personal` marks what a PDF copy kept on the kiosk leaves out (useReceiptPrint).
 */
export function ReceiptSheet(props: { receipt: Receipt; heading?: ReactNode; className?: string }) {
  const { t, i18n } = useTranslation()
  const { receipt } = props
  const [info] = useCall((posko) => posko.app.info())
  const paper = info.status === 'ready' ? info.value.receiptPaper : 'a4'
  useEffect(() => {
    const root = document.documentElement
    root.dataset.receiptPaper = paper
    return () => {
      delete root.dataset.receiptPaper
    }
  }, [paper])
  const steps = nextStepsKey(receipt.state)
  return (
    <div className={`receipt ${props.className ?? ''}`} data-printable="receipt" data-paper={paper}>
      <p className="receipt-programme">{receipt.programme}</p>
      {props.heading}
      <dl className="receipt-facts">
        <dt>{t('registration.receipt.name')}</dt>
        <dd className="receipt-name" data-personal="">
          {receipt.fullName}
        </dd>
        <dt>{t('registration.receipt.nik')}</dt>
        <dd className="receipt-nik mono" data-personal="">
          {receipt.nikMasked}
        </dd>
        <dt>{t('registration.receipt.number')}</dt>
        <dd className="receipt-number">{receipt.receiptNo}</dd>
        <dt>{t('registration.receipt.createdAt')}</dt>
        <dd>{formatDateTime(receipt.createdAt, i18n.language)}</dd>
        <dt>{t('registration.receipt.post')}</dt>
        <dd>{t('app.post', { name: receipt.postName })}</dd>
      </dl>
      {/* Short keys keep the code small enough to scan from a thermal printout. */}
      <QrCode text={JSON.stringify({ r: receipt.receiptNo, id: receipt.id })} alt={t('registration.receipt.qr', { receiptNo: receipt.receiptNo })} />
      <section className="receipt-next" aria-labelledby={`receipt-next-${receipt.id}`}>
        <h2 id={`receipt-next-${receipt.id}`} className="receipt-next-title">
          {t('registration.receipt.nextTitle')}
        </h2>
        <p>{t(`registration.receipt.next.${steps}`)}</p>
        <p>{t('registration.receipt.keep')}</p>
      </section>
    </div>
  )
}
