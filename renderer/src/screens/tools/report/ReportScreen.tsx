import type { FormEvent } from 'react'
import { useCallback, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { DayReport } from '../../../../../common/records'
import type { AppInfo } from '../../../../../common/settings'
import type { PoskoErrorShape } from '../../../../../common/result'
import { callPosko } from '../../../api'
import { ErrorPanel } from '../../../components/ErrorPanel'
import { DateField } from '../../../components/DateField'
import { formatDate } from '../../../dates'
import { useFocusOnMount } from '../../../hooks/useFocusOnMount'
import { focusField } from '../../../session/staffFields'
import { downloadText } from '../../audit/auditCsv'
import { localDate, reportCsv, reportFileName } from './reportCsv'
import { ReportTables } from './ReportTables'

type Loaded = { status: 'loading' } | { status: 'ready'; report: DayReport } | { status: 'error'; error: PoskoErrorShape }

const DATE = /^\d{4}-\d{2}-\d{2}$/

/** "Laporan harian": what the post did on one day, counts only, on screen and as CSV for the programme office. */
export function ReportScreen(props: { info: AppInfo }) {
  const { t } = useTranslation()
  const [date, setDate] = useState(localDate)
  const [dateError, setDateError] = useState<string | undefined>()
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' })
  const [exported, setExported] = useState<string | null>(null)
  const headingRef = useRef<HTMLHeadingElement>(null)
  useFocusOnMount(headingRef)

  const load = useCallback(async (day: string) => {
    setLoaded({ status: 'loading' })
    setExported(null)
    const result = await callPosko((posko) => posko.report.day({ date: day }))
    setLoaded(result.ok ? { status: 'ready', report: result.value } : { status: 'error', error: result.error })
  }, [])

  useEffect(() => {
    void load(localDate())
  }, [load])

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    if (!DATE.test(date)) {
      setDateError('tools.report.dateRequired')
      return focusField('report-date')
    }
    void load(date)
  }

  const exportCsv = (report: DayReport) => {
    const fileName = reportFileName(props.info.postId, report.date)
    downloadText(fileName, reportCsv(report), 'text/csv;charset=utf-8')
    setExported(fileName)
  }

  return (
    <div className="tools report">
      <h1 ref={headingRef} tabIndex={-1}>
        {t('tools.report.title')}
      </h1>
      <p className="tool-intro">{t('tools.report.intro')}</p>
      <form className="card report-filter" noValidate onSubmit={onSubmit}>
        <DateField
          id="report-date"
          label={t('tools.report.date')}
          value={date}
          error={dateError}
          onChange={(value) => {
            setDate(value)
            setDateError(undefined)
          }}
        />
        <div className="actions actions-start">
          <button type="submit" className="primary">
            {t('tools.report.show')}
          </button>
          {loaded.status === 'ready' && (
            <button type="button" onClick={() => exportCsv(loaded.report)}>
              {t('tools.report.export')}
            </button>
          )}
        </div>
        <p className={exported ? 'note' : 'status-idle'} role="status">
          {exported ? t('tools.report.exported', { file: exported }) : ''}
        </p>
      </form>
      {loaded.status === 'loading' && <p role="status">{t('app.loading')}</p>}
      {loaded.status === 'error' && <ErrorPanel error={loaded.error} onRetry={() => void load(date)} />}
      {loaded.status === 'ready' && <ReportView report={loaded.report} />}
    </div>
  )
}

function ReportView(props: { report: DayReport }) {
  const { t, i18n } = useTranslation()
  const { report } = props
  const number = new Intl.NumberFormat(i18n.language)
  return (
    <section className="card tool-card" aria-labelledby="report-heading">
      <h2 id="report-heading">{t('tools.report.heading', { date: formatDate(report.date, i18n.language) })}</h2>
      <dl className="facts tool-facts">
        <dt>{t('tools.report.total')}</dt>
        <dd data-report="total">{number.format(report.total)}</dd>
        <dt>{t('tools.report.selfService')}</dt>
        <dd data-report="self-service">{number.format(report.selfService)}</dd>
        <dt>{t('tools.report.photoOverrides')}</dt>
        <dd data-report="photo-overrides">{number.format(report.photoOverrides)}</dd>
      </dl>
      {report.total === 0 ? <p className="note">{t('tools.report.empty')}</p> : <ReportTables report={report} />}
    </section>
  )
}
