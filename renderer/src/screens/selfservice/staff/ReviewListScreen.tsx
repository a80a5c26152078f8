import { useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { RegistrationSummary } from '../../../../../common/records'
import type { PoskoErrorShape } from '../../../../../common/result'
import { callPosko, useCall } from '../../../api'
import { ErrorPanel } from '../../../components/ErrorPanel'
import { RecordTable, useRecordColumns } from '../../../components/RecordTable'
import { useFocusOnMount } from '../../../hooks/useFocusOnMount'
import { RecordDetails } from '../../search/RecordDetails'

/**
 * "Perlu diperiksa": self-service registrations the post holds for a staff check (config selfServiceReview). Each
 * can be opened read-only (an audited read) and approved, which puts it in the upload queue and off this list.
 */
export function ReviewListScreen() {
  const [open, setOpen] = useState<RegistrationSummary | null>(null)
  const [approved, setApproved] = useState<string | null>(null)
  if (open) {
    return (
      <HeldRecord
        row={open}
        onBack={() => setOpen(null)}
        onApproved={() => {
          setApproved(open.receiptNo)
          setOpen(null)
        }}
      />
    )
  }
  return (
    <HeldList
      approved={approved}
      onApproved={setApproved}
      onOpen={(row) => {
        setApproved(null)
        setOpen(row)
      }}
    />
  )
}

/** `registration.approve` for one row at a time, with the refusal to show if the kiosk says no. */
function useApprove() {
  const [busyId, setBusyId] = useState<string | null>(null)
  const [error, setError] = useState<PoskoErrorShape | null>(null)
  const approve = async (row: RegistrationSummary): Promise<boolean> => {
    setBusyId(row.id)
    setError(null)
    const result = await callPosko((posko) => posko.registration.approve({ id: row.id }))
    setBusyId(null)
    if (!result.ok) setError(result.error)
    return result.ok
  }
  return { busyId, error, approve }
}

function HeldRecord(props: { row: RegistrationSummary; onBack: () => void; onApproved: () => void }) {
  const { t } = useTranslation()
  const { row } = props
  const { busyId, error, approve } = useApprove()
  return (
    <>
      {error && <ErrorPanel error={error} />}
      <RecordDetails
        id={row.id}
        onBack={props.onBack}
        backLabel={t('selfService.held.back')}
        actions={
          <button
            type="button"
            className="primary"
            disabled={busyId !== null}
            onClick={() => void approve(row).then((ok) => ok && props.onApproved())}
          >
            {busyId ? t('selfService.held.approving') : t('selfService.held.approveRecord', { receiptNo: row.receiptNo })}
          </button>
        }
      />
    </>
  )
}

function HeldList(props: { approved: string | null; onApproved: (receiptNo: string) => void; onOpen: (row: RegistrationSummary) => void }) {
  const { t } = useTranslation()
  const [list, reload] = useCall((posko) => posko.registration.listReview())
  const { busyId, error, approve } = useApprove()
  const headingRef = useRef<HTMLHeadingElement>(null)
  useFocusOnMount(headingRef)
  const onApprove = async (row: RegistrationSummary) => {
    if (!(await approve(row))) return
    props.onApproved(row.receiptNo)
    // An approved registration leaves the list: ask the kiosk again rather than guess.
    reload()
  }
  return (
    <div className="review-list">
      <h1 ref={headingRef} tabIndex={-1}>
        {t('selfService.held.title')}
      </h1>
      <p>{t('selfService.held.intro')}</p>
      {props.approved && (
        <p className="note" role="status">
          {t('selfService.held.approved', { receiptNo: props.approved })}
        </p>
      )}
      {error && <ErrorPanel error={error} />}
      {list.status === 'loading' && <p role="status">{t('app.loading')}</p>}
      {list.status === 'error' && <ErrorPanel error={list.error} onRetry={reload} />}
      {list.status === 'ready' && <HeldTable rows={list.value.results} busyId={busyId} onOpen={props.onOpen} onApprove={(row) => void onApprove(row)} />}
    </div>
  )
}

function HeldTable(props: {
  rows: readonly RegistrationSummary[]
  busyId: string | null
  onOpen: (row: RegistrationSummary) => void
  onApprove: (row: RegistrationSummary) => void
}) {
  const { t } = useTranslation()
  const { name, createdAt } = useRecordColumns<RegistrationSummary>()
  return (
    <section className="card" aria-labelledby="review-count">
      <h2 id="review-count">{props.rows.length === 0 ? t('selfService.held.none') : t('selfService.held.count', { count: props.rows.length })}</h2>
      {props.rows.length > 0 && (
        <RecordTable
          rows={props.rows}
          columns={[name, createdAt]}
          actionsHeading={t('operators.actions')}
          actions={(row) => (
            <div className="row-actions">
              <button type="button" aria-label={t('selfService.held.openRecord', { receiptNo: row.receiptNo })} onClick={() => props.onOpen(row)}>
                {t('selfService.held.open')}
              </button>
              <button
                type="button"
                className="primary"
                disabled={props.busyId !== null}
                aria-label={t('selfService.held.approveRecord', { receiptNo: row.receiptNo })}
                onClick={() => props.onApprove(row)}
              >
                {props.busyId === row.id ? t('selfService.held.approving') : t('selfService.held.approve')}
              </button>
            </div>
          )}
        />
      )}
    </section>
  )
}
