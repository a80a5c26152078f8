import { useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { FieldIssue, RegistrationSummary } from '../../../../common/records'
import { useCall } from '../../api'
import { ErrorPanel } from '../../components/ErrorPanel'
import { RecordTable, useRecordColumns } from '../../components/RecordTable'
import { useFocusOnMount } from '../../hooks/useFocusOnMount'
import { useIssueText } from '../registration/rejection'
import { FixRegistration } from './FixRegistration'

type Rejected = RegistrationSummary & { rejection: FieldIssue[] }

/**
 * "Perlu diperbaiki": what central refused, with its reasons, each a press away from the registration steps
 * prefilled. A fixed record goes back to the upload queue and leaves this list.
 */
export function RejectedScreen() {
  const [fixing, setFixing] = useState<Rejected | null>(null)
  const [fixed, setFixed] = useState<string | null>(null)
  if (fixing) {
    return (
      <FixRegistration
        key={fixing.id}
        id={fixing.id}
        receiptNo={fixing.receiptNo}
        rejection={fixing.rejection}
        onCancel={() => setFixing(null)}
        onDone={() => {
          setFixed(fixing.receiptNo)
          setFixing(null)
        }}
      />
    )
  }
  return <RejectedList fixed={fixed} onFix={setFixing} />
}

function RejectedList(props: { fixed: string | null; onFix: (row: Rejected) => void }) {
  const { t } = useTranslation()
  const [list, reload] = useCall((posko) => posko.registration.listRejected())
  const headingRef = useRef<HTMLHeadingElement>(null)
  useFocusOnMount(headingRef)
  return (
    <div className="rejected">
      <h1 ref={headingRef} tabIndex={-1}>
        {t('rejected.title')}
      </h1>
      <p>{t('rejected.intro')}</p>
      {props.fixed && (
        <p className="note" role="status">
          {t('registration.edit.done', { receiptNo: props.fixed })}
        </p>
      )}
      {list.status === 'loading' && <p role="status">{t('app.loading')}</p>}
      {list.status === 'error' && <ErrorPanel error={list.error} onRetry={reload} />}
      {list.status === 'ready' && <RejectedTable rows={list.value.results} onFix={props.onFix} />}
    </div>
  )
}

function RejectedTable(props: { rows: readonly Rejected[]; onFix: (row: Rejected) => void }) {
  const { t } = useTranslation()
  const issueText = useIssueText()
  const { name, createdAt } = useRecordColumns<Rejected>()
  return (
    <section className="card" aria-labelledby="rejected-count">
      <h2 id="rejected-count">{props.rows.length === 0 ? t('rejected.none') : t('rejected.count', { count: props.rows.length })}</h2>
      {props.rows.length > 0 && (
        <RecordTable
          rows={props.rows}
          columns={[
            name,
            createdAt,
            {
              heading: t('rejected.reasons'),
              cell: (row) => (
                <ul className="reasons">
                  {(row.rejection.length > 0 ? row.rejection : [{ path: [], message: '' }]).map((issue, index) => (
                    <li key={index}>{issueText(issue)}</li>
                  ))}
                </ul>
              ),
            },
          ]}
          actionsHeading={t('rejected.fix')}
          actions={(row) => (
            <button type="button" className="primary" aria-label={t('rejected.fixRecord', { receiptNo: row.receiptNo })} onClick={() => props.onFix(row)}>
              {t('rejected.fix')}
            </button>
          )}
        />
      )}
    </section>
  )
}
