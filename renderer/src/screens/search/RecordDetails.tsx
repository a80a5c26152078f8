import type { ReactNode } from 'react'
import { useRef, useState } from 'react'
import type { Receipt } from '../../../../common/records'
import type { PoskoErrorShape } from '../../../../common/result'
import { callPosko } from '../../api'
import { ReceiptSheet } from '../../components/receipt/ReceiptSheet'
import { PrintOutcomeText, ReceiptPrintButtons } from '../registration/ReceiptStep'
import { useReceiptPrint } from '../registration/useReceiptPrint'
import { useTranslation } from 'react-i18next'
import { useCall } from '../../api'
import { ErrorPanel } from '../../components/ErrorPanel'
import { formatDateTime } from '../../dates'
import { useFocusOnMount } from '../../hooks/useFocusOnMount'
import { RegistrationFacts } from '../registration/RegistrationFacts'
import { useIssueText } from '../registration/rejection'
import './search.css'

/**
 * One stored registration, read-only. Opening it is an audited read on the kiosk side (`registration.get`).
 * `backLabel` and `actions` let another list (the review of self-service registrations) reuse it.
 */
export function RecordDetails(props: { id: string; onBack: () => void; backLabel?: string; actions?: ReactNode }) {
  const { t, i18n } = useTranslation()
  const [view, reload] = useCall((posko) => posko.registration.get({ id: props.id }))
  const headingRef = useRef<HTMLHeadingElement>(null)
  useFocusOnMount(headingRef)
  const issueText = useIssueText()
  const receiptNo = view.status === 'ready' ? view.value.record.receiptNo : ''
  const reprint = useReprint(props.id)
  return (
    <div className="record-details">
      <h1 ref={headingRef} tabIndex={-1}>
        {view.status === 'ready' ? t('search.details', { receiptNo }) : t('search.title')}
      </h1>
      <div className="actions actions-start">
        <button type="button" onClick={props.onBack}>
          {props.backLabel ?? t('search.backToResults')}
        </button>
        {view.status === 'ready' && props.actions}
        {view.status === 'ready' && view.value.state !== 'purged' && (
          <button type="button" onClick={() => void reprint.open()} disabled={reprint.state.status === 'loading'}>
            {t('search.reprint')}
          </button>
        )}
      </div>
      {reprint.state.status === 'failed' && <ErrorPanel error={reprint.state.error} />}
      {reprint.state.status === 'ready' && <ReprintPanel receipt={reprint.state.receipt} onClose={reprint.close} />}
      {view.status === 'loading' && <p role="status">{t('app.loading')}</p>}
      {view.status === 'error' && <ErrorPanel error={view.error} onRetry={reload} />}
      {view.status === 'ready' && (
        <>
          <section className="card" aria-labelledby="record-state">
            <h2 id="record-state">{t('search.state')}</h2>
            <dl className="facts">
              <dt>{t('search.state')}</dt>
              <dd>{t(`state.${view.value.state}`)}</dd>
              <dt>{t('search.createdAt')}</dt>
              <dd>{formatDateTime(view.value.record.createdAt, i18n.language)}</dd>
              <dt>{t('search.centralId')}</dt>
              <dd>{view.value.centralId ?? t('registration.review.none')}</dd>
            </dl>
            <p className="muted">{t('search.updatedAt', { when: formatDateTime(view.value.updatedAt, i18n.language) })}</p>
            {view.value.rejection && view.value.rejection.length > 0 && (
              <>
                <h3>{t('search.rejection')}</h3>
                <ul>
                  {view.value.rejection.map((issue) => (
                    <li key={`${issue.path.join('.')}:${issue.message}`}>
                      {issueText(issue)}
                    </li>
                  ))}
                </ul>
              </>
            )}
          </section>
          <RegistrationFacts record={view.value.record} headingLevel={2} />
        </>
      )}
    </div>
  )
}

type Reprint = { status: 'idle' } | { status: 'loading' } | { status: 'ready'; receipt: Receipt } | { status: 'failed'; error: PoskoErrorShape }

/** "Cetak ulang": the record's receipt as it stands now, fetched through main, which audits the reprint. */
function useReprint(id: string) {
  const [state, setState] = useState<Reprint>({ status: 'idle' })
  return {
    state,
    open: async () => {
      setState({ status: 'loading' })
      const result = await callPosko((posko) => posko.registration.reprint({ id }))
      setState(result.ok ? { status: 'ready', receipt: result.value } : { status: 'failed', error: result.error })
    },
    close: () => setState({ status: 'idle' }),
  }
}

function ReprintPanel(props: { receipt: Receipt; onClose: () => void }) {
  const { t } = useTranslation()
  const printing = useReceiptPrint()
  const headingRef = useRef<HTMLHeadingElement>(null)
  useFocusOnMount(headingRef)
  return (
    <section className="card reprint" aria-labelledby="reprint-title">
      <h2 id="reprint-title" ref={headingRef} tabIndex={-1} className="no-print">
        {t('search.reprintTitle', { receiptNo: props.receipt.receiptNo })}
      </h2>
      <ReceiptSheet receipt={props.receipt} />
      <PrintOutcomeText outcome={printing.outcome} />
      <div className="actions actions-start no-print">
        <ReceiptPrintButtons printing={printing} primary />
        <button type="button" onClick={props.onClose}>
          {t('search.closeReceipt')}
        </button>
      </div>
    </section>
  )
}
