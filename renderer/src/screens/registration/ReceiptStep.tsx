import { useTranslation } from 'react-i18next'
import type { Receipt } from '../../../../common/records'
import type { PoskoErrorShape } from '../../../../common/result'
import { ReceiptSheet } from '../../components/receipt/ReceiptSheet'
import type { PrintOutcome } from './useReceiptPrint'
import { useReceiptPrint } from './useReceiptPrint'

/** The one thing the applicant takes away: printable alone (see `@media print` in styles.css). */
export function ReceiptStep(props: { receipt: Receipt; onRestart: () => void }) {
  const { t } = useTranslation()
  const { receipt } = props
  const printing = useReceiptPrint()
  return (
    <>
      <ReceiptSheet
        receipt={receipt}
        heading={
          <p className="receipt-done" role="status">
            {t('registration.receipt.done')}
          </p>
        }
      />
      <PrintOutcomeText outcome={printing.outcome} />
      <div className="actions no-print">
        <ReceiptPrintButtons printing={printing} />
        <button type="button" className="primary" onClick={props.onRestart}>
          {t('registration.receipt.again')}
        </button>
      </div>
    </>
  )
}

/** A self-service kiosk without its own silent printer (or asked for a PDF): staff print the receipt for the applicant. */
function isSelfServiceRefusal(error: PoskoErrorShape): boolean {
  const reason = error.details?.reason
  return error.code === 'forbidden' && typeof reason === 'string' && reason.startsWith('self_service_')
}

/** "Cetak" and, where this kiosk may keep a copy, "Simpan PDF": the receipt's buttons wherever it is shown. */
export function ReceiptPrintButtons(props: { printing: ReturnType<typeof useReceiptPrint>; primary?: boolean }) {
  const { t } = useTranslation()
  const { printing } = props
  const busy = printing.outcome.kind === 'working'
  return (
    <>
      <button type="button" className={props.primary ? 'primary' : undefined} disabled={busy} onClick={() => void printing.print(false)}>
        {busy ? t('registration.receipt.printing') : t('registration.receipt.print')}
      </button>
      {printing.canSavePdf && (
        <button type="button" disabled={busy} onClick={() => void printing.print(true)}>
          {t('registration.receipt.savePdf')}
        </button>
      )}
    </>
  )
}

/** What the last "Cetak" or "Simpan PDF" came to; a live region present from the start, so it is read out. */
export function PrintOutcomeText(props: { outcome: PrintOutcome }) {
  const { t } = useTranslation()
  const { outcome } = props
  const problem = outcome.kind === 'not_printed' || outcome.kind === 'failed'
  return (
    <p className={problem ? 'field-error no-print' : 'status-idle no-print'} role="status">
      {outcome.kind === 'printed' && t('registration.receipt.printed')}
      {outcome.kind === 'saved' && t('registration.receipt.saved', { file: outcome.file })}
      {outcome.kind === 'not_printed' && t('registration.receipt.notPrinted')}
      {outcome.kind === 'failed' && t(isSelfServiceRefusal(outcome.error) ? 'registration.receipt.askStaff' : `errors.${outcome.error.code}`)}
    </p>
  )
}
