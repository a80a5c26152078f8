import { useTranslation } from 'react-i18next'
import type { DayReport } from '../../../../../common/records'
import { RecordState } from '../../../../../common/records'

/** The day's counts, one small table each; every table has a caption so it can be found by name. */
export function ReportTables(props: { report: DayReport }) {
  const { report } = props
  return (
    <div className="report-tables">
      <OperatorTable rows={report.perOperator} />
      <StateTable byState={report.byState} />
      <HourTable rows={report.perHour} />
      <RejectionTable rows={report.rejectionsByReason} />
    </div>
  )
}

function useCount() {
  const { i18n } = useTranslation()
  const number = new Intl.NumberFormat(i18n.language)
  return (n: number) => number.format(n)
}

interface CountRow {
  key: string
  label: string
  count: number
  /** Ids read better in a fixed-width face. */
  mono?: boolean
  /** `data-state` on the count cell (the state table's, for tests and CSV checks). */
  state?: string
}

/** A caption, "what" and "how many": the shape of most of the day's tables. */
function CountTable(props: { caption: string; heading: string; rows: readonly CountRow[]; empty?: string }) {
  const { t } = useTranslation()
  const count = useCount()
  return (
    <table className="results-table report-table">
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">{props.heading}</th>
          <th scope="col" className="num">
            {t('tools.report.count')}
          </th>
        </tr>
      </thead>
      <tbody>
        {props.rows.length === 0 && props.empty && (
          <tr>
            <td colSpan={2} className="muted">
              {props.empty}
            </td>
          </tr>
        )}
        {props.rows.map((row) => (
          <tr key={row.key}>
            <th scope="row" className={row.mono ? 'mono' : undefined}>
              {row.label}
            </th>
            <td className="num" data-state={row.state}>
              {count(row.count)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function OperatorTable(props: { rows: DayReport['perOperator'] }) {
  const { t } = useTranslation()
  // The report names self-service and unattributed records with fixed words (main/services/retention).
  const who = (id: string) => (id === 'self-service' ? t('tools.report.selfServiceOperator') : id === 'unknown' ? t('tools.report.unknownOperator') : id)
  return (
    <CountTable
      caption={t('tools.report.perOperator')}
      heading={t('tools.report.operator')}
      rows={props.rows.map((row) => ({ key: row.operatorId, label: who(row.operatorId), count: row.count, mono: true }))}
    />
  )
}

function StateTable(props: { byState: DayReport['byState'] }) {
  const { t } = useTranslation()
  return (
    <CountTable
      caption={t('tools.report.byState')}
      heading={t('tools.report.state')}
      rows={RecordState.options.map((state) => ({ key: state, label: t(`state.${state}`), count: props.byState[state], state }))}
    />
  )
}

/**
 * Hours from the first to the last with registrations (the empty night hours would only push the day off the
 * screen). The bar is a native <meter> sized by CSS: the CSP allows no style attribute to set a width. It is
 * hidden from assistive technology, which reads the number in the next cell.
 */
function HourTable(props: { rows: DayReport['perHour'] }) {
  const { t } = useTranslation()
  const count = useCount()
  const busy = props.rows.filter((row) => row.count > 0)
  const first = busy[0]?.hour
  const last = busy[busy.length - 1]?.hour
  if (first === undefined || last === undefined) return null
  const shown = props.rows.filter((row) => row.hour >= first && row.hour <= last)
  const max = Math.max(...shown.map((row) => row.count))
  const clock = (hour: number) => `${String(hour).padStart(2, '0')}.00`
  return (
    <table className="results-table report-table report-hours">
      <caption>{t('tools.report.perHour')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('tools.report.hour')}</th>
          <th scope="col" className="num">
            {t('tools.report.count')}
          </th>
          <th scope="col">
            <span className="visually-hidden">{t('tools.report.chart')}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {shown.map((row) => (
          <tr key={row.hour}>
            <th scope="row" className="mono">
              {t('tools.report.hourRange', { from: clock(row.hour), to: clock((row.hour + 1) % 24) })}
            </th>
            <td className="num">{count(row.count)}</td>
            <td className="report-bar">
              <meter aria-hidden="true" min={0} max={max} value={row.count} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/** Central's reasons are `validation.*` keys we word ourselves; one we have no words for shows as its code. */
function RejectionTable(props: { rows: DayReport['rejectionsByReason'] }) {
  const { t, i18n } = useTranslation()
  const reason = (key: string) => (key.startsWith('validation.') && i18n.exists(key) ? t(key) : t('tools.report.otherReason', { code: key }))
  return (
    <CountTable
      caption={t('tools.report.rejections')}
      heading={t('tools.report.reason')}
      rows={props.rows.map((row) => ({ key: row.reason, label: reason(row.reason), count: row.count }))}
      empty={t('tools.report.noRejections')}
    />
  )
}
