import { useTranslation } from 'react-i18next'
import type { ChannelOutput } from '../../../../common/contract'
import type { RegistrationSummary } from '../../../../common/records'
import { RecordTable, useRecordColumns } from '../../components/RecordTable'

/**
 * What a search found; with nothing found, what can be searched (issue 19: staff should not have to guess that a
 * name word or a phone number works, or that part of a word does not).
 */
export function SearchResults(props: { found: ChannelOutput<'registration.find'>; onOpen: (id: string) => void }) {
  const { t } = useTranslation()
  const { name, createdAt } = useRecordColumns<RegistrationSummary>()
  const { results, by, more, indexing } = props.found
  return (
    <section className="card" aria-labelledby="results-title">
      <h2 id="results-title">{t('search.results')}</h2>
      <p role="status">
        {results.length === 0 ? t(by === 'none' ? 'search.notSearchable' : 'search.noResults') : t('search.resultCount', { count: results.length })}
      </p>
      {results.length === 0 && <p className="search-can">{t('search.canSearch')}</p>}
      {more && <p className="search-more">{t('search.more', { count: results.length })}</p>}
      {indexing && <p className="search-indexing">{t('search.indexing')}</p>}
      {results.length > 0 && (
        <RecordTable
          rows={results}
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
