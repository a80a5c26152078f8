import { useTranslation } from 'react-i18next'
import type { RegistrationSummary } from '../../../../common/records'
import { RecordTable, useRecordColumns } from '../../components/RecordTable'

export function SearchResults(props: { results: readonly RegistrationSummary[]; onOpen: (id: string) => void }) {
  const { t } = useTranslation()
  const { name, createdAt } = useRecordColumns<RegistrationSummary>()
  return (
    <section className="card" aria-labelledby="results-title">
      <h2 id="results-title">{t('search.results')}</h2>
      <p role="status">{props.results.length === 0 ? t('search.noResults') : t('search.resultCount', { count: props.results.length })}</p>
      {props.results.length > 0 && (
        <RecordTable
          rows={props.results}
          columns={[name, { heading: t('search.state'), cell: (row) => t(`state.${row.state}`) }, createdAt]}
          actionsHeading={t('search.open')}
          actions={(row) => (
            <button type="button" aria-label={t('search.openRecord', { receiptNo: row.receiptNo })} onClick={() => props.onOpen(row.id)}>
              {t('search.open')}
            </button>
          )}
        />
      )}
    </section>
  )
}
