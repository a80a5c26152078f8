import { useTranslation } from 'react-i18next'
import type { RegistrationSummary } from '../../../../common/contract'
import { formatDateTime } from '../../dates'

export function SearchResults(props: { results: readonly RegistrationSummary[]; onOpen: (id: string) => void }) {
  const { t, i18n } = useTranslation()
  return (
    <section className="card" aria-labelledby="results-title">
      <h2 id="results-title">{t('search.results')}</h2>
      <p role="status">{props.results.length === 0 ? t('search.noResults') : t('search.resultCount', { count: props.results.length })}</p>
      {props.results.length > 0 && (
        <table className="results-table">
          <thead>
            <tr>
              <th scope="col">{t('search.receiptNo')}</th>
              <th scope="col">{t('search.name')}</th>
              <th scope="col">{t('search.state')}</th>
              <th scope="col">{t('search.createdAt')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('search.open')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {props.results.map((row) => (
              <tr key={row.id}>
                <th scope="row" className="mono">
                  {row.receiptNo}
                </th>
                <td>{row.fullName}</td>
                <td>{t(`state.${row.state}`)}</td>
                <td>{formatDateTime(row.createdAt, i18n.language)}</td>
                <td>
                  <button type="button" aria-label={t('search.openRecord', { receiptNo: row.receiptNo })} onClick={() => props.onOpen(row.id)}>
                    {t('search.open')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
