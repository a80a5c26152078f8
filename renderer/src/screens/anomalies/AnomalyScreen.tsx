import { useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { AnomalyRecordView, AnomalyView } from '../../../../common/network'
import type { PoskoErrorShape } from '../../../../common/result'
import { callPosko, useCall } from '../../api'
import { ErrorPanel } from '../../components/ErrorPanel'
import { formatDateTime } from '../../dates'
import { useFocusOnMount } from '../../hooks/useFocusOnMount'

type Outcome = { kind: 'done'; text: string } | { kind: 'refused'; error: PoskoErrorShape } | null

/**
 * "NIK ganda di posko" (issue 21.4): while the desks' network was split, two desks may both have accepted one NIK.
 * Every such NIK, found by the post log's NIK HMACs, with both receipts, desks and times (the applicant's name only
 * for this desk's own record), so staff can call the applicant back and mark one registration as the duplicate of
 * the other. The mark reaches every desk and central. Plain buttons and radio buttons: Tab, Enter and touch.
 */
export function AnomalyScreen() {
  const { t } = useTranslation()
  const [list, reload] = useCall((posko) => posko.network.anomalies())
  const [outcome, setOutcome] = useState<Outcome>(null)
  const headingRef = useRef<HTMLHeadingElement>(null)
  useFocusOnMount(headingRef)

  const mark = async (duplicate: AnomalyRecordView, kept: AnomalyRecordView) => {
    setOutcome(null)
    const result = await callPosko((posko) => posko.network.markDuplicate({ duplicateId: duplicate.recordId, keptId: kept.recordId }))
    if (!result.ok) return setOutcome({ kind: 'refused', error: result.error })
    setOutcome({ kind: 'done', text: t('anomalies.marked', { duplicate: duplicate.receiptNo ?? '—', kept: kept.receiptNo ?? '—' }) })
    reload()
  }

  return (
    <div className="anomalies">
      <h1 ref={headingRef} tabIndex={-1}>
        {t('anomalies.title')}
      </h1>
      <p>{t('anomalies.intro')}</p>
      <p className={outcome?.kind === 'done' ? 'note' : 'status-idle'} role="status">
        {outcome?.kind === 'done' ? outcome.text : ''}
      </p>
      {outcome?.kind === 'refused' && <ErrorPanel error={outcome.error} />}
      {list.status === 'loading' && <p role="status">{t('app.loading')}</p>}
      {list.status === 'error' && <ErrorPanel error={list.error} onRetry={reload} />}
      {list.status === 'ready' && (
        <>
          <p className="anomalies-count">{list.value.open === 0 ? t('anomalies.none') : t('anomalies.open', { count: list.value.open })}</p>
          <button type="button" onClick={reload}>
            {t('anomalies.refresh')}
          </button>
          {list.value.anomalies.map((anomaly, index) => (
            <AnomalyCard key={anomaly.id} anomaly={anomaly} index={index + 1} onMark={(duplicate, kept) => void mark(duplicate, kept)} />
          ))}
        </>
      )}
    </div>
  )
}

function AnomalyCard(props: { anomaly: AnomalyView; index: number; onMark: (duplicate: AnomalyRecordView, kept: AnomalyRecordView) => void }) {
  const { t, i18n } = useTranslation()
  const { anomaly } = props
  const [choosing, setChoosing] = useState<AnomalyRecordView | null>(null)
  const headingId = `anomaly-${anomaly.id}`
  const unmarked = anomaly.records.filter((r) => r.duplicateOf === null)
  const receiptOf = (id: string) => anomaly.records.find((r) => r.recordId === id)?.receiptNo ?? '—'
  return (
    <section className="card anomaly" aria-labelledby={headingId}>
      <h2 id={headingId}>
        {t('anomalies.heading', { n: props.index, count: anomaly.records.length })}{' '}
        <span className={anomaly.resolved ? 'badge badge-ok' : 'badge badge-danger'}>{anomaly.resolved ? t('anomalies.resolved') : t('anomalies.unresolved')}</span>
      </h2>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('anomalies.receipt')}</th>
            <th scope="col">{t('anomalies.desk')}</th>
            <th scope="col">{t('anomalies.time')}</th>
            <th scope="col">{t('anomalies.name')}</th>
            <th scope="col">{t('anomalies.state')}</th>
            <th scope="col">{t('anomalies.action')}</th>
          </tr>
        </thead>
        <tbody>
          {anomaly.records.map((record) => (
            <tr key={record.recordId}>
              <th scope="row">{record.receiptNo ?? '—'}</th>
              <td>{record.ownDesk ? t('anomalies.thisDesk', { desk: record.desk ?? '—' }) : (record.desk ?? t('anomalies.unknownDesk'))}</td>
              <td>{formatDateTime(record.registeredAt, i18n.language)}</td>
              <td>{record.fullName ?? t('anomalies.nameElsewhere')}</td>
              <td>
                {record.duplicateOf
                  ? t('anomalies.markedAs', { kept: receiptOf(record.duplicateOf), desk: record.markedBy?.desk ?? '—' })
                  : t(`state.${record.state}`)}
              </td>
              <td>
                {!anomaly.resolved && record.duplicateOf === null && (
                  <button
                    type="button"
                    aria-label={t('anomalies.markRecord', { receiptNo: record.receiptNo ?? '—' })}
                    aria-expanded={choosing?.recordId === record.recordId}
                    onClick={() => setChoosing(record)}
                  >
                    {t('anomalies.mark')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {choosing && !anomaly.resolved && (
        <ChooseKept
          duplicate={choosing}
          candidates={unmarked.filter((r) => r.recordId !== choosing.recordId)}
          onCancel={() => setChoosing(null)}
          onConfirm={(kept) => {
            setChoosing(null)
            props.onMark(choosing, kept)
          }}
        />
      )}
    </section>
  )
}

function ChooseKept(props: { duplicate: AnomalyRecordView; candidates: AnomalyRecordView[]; onCancel: () => void; onConfirm: (kept: AnomalyRecordView) => void }) {
  const { t } = useTranslation()
  const [keptId, setKeptId] = useState(props.candidates[0]?.recordId ?? '')
  const legendRef = useRef<HTMLHeadingElement>(null)
  useFocusOnMount(legendRef)
  const kept = props.candidates.find((c) => c.recordId === keptId)
  return (
    <form
      className="anomaly-confirm"
      onSubmit={(event) => {
        event.preventDefault()
        if (kept) props.onConfirm(kept)
      }}
    >
      <fieldset>
        <legend>
          <h3 ref={legendRef} tabIndex={-1}>
            {t('anomalies.confirmTitle', { receiptNo: props.duplicate.receiptNo ?? '—' })}
          </h3>
        </legend>
        <p>{t('anomalies.confirmHint')}</p>
        {props.candidates.map((c) => (
          <label key={c.recordId} className="choice">
            <input type="radio" name={`kept-${props.duplicate.recordId}`} value={c.recordId} checked={keptId === c.recordId} onChange={() => setKeptId(c.recordId)} />
            {t('anomalies.keep', { receiptNo: c.receiptNo ?? '—', desk: c.desk ?? '—' })}
          </label>
        ))}
      </fieldset>
      <div className="actions">
        <button type="submit" className="primary" disabled={!kept}>
          {t('anomalies.confirm')}
        </button>
        <button type="button" onClick={props.onCancel}>
          {t('anomalies.cancel')}
        </button>
      </div>
    </form>
  )
}
