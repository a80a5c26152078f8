import { useTranslation } from 'react-i18next'
import type { RecentError } from '../../../../common/operations'
import { fieldText, formatInstant } from './format'

/**
 * The kiosk's last warnings and errors, newest first, as the logger kept them: messages are the developers'
 * English (what IT searches the log files for), fields already redacted of anything personal.
 */
export function ErrorsCard(props: { errors: readonly RecentError[] }) {
  const { t, i18n } = useTranslation()
  const newestFirst = [...props.errors].reverse()
  return (
    <section className="card diag-card" aria-labelledby="diag-errors">
      <h2 id="diag-errors">{t('diagnostics.errors.title')}</h2>
      {newestFirst.length === 0 ? (
        <p data-diag="no-errors">{t('diagnostics.errors.none')}</p>
      ) : (
        <table className="diag-table">
          <caption className="visually-hidden">{t('diagnostics.errors.caption', { count: newestFirst.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('diagnostics.errors.at')}</th>
              <th scope="col">{t('diagnostics.errors.level')}</th>
              <th scope="col">{t('diagnostics.errors.message')}</th>
              <th scope="col">{t('diagnostics.errors.fields')}</th>
            </tr>
          </thead>
          <tbody>
            {newestFirst.map((entry, index) => (
              <tr key={`${entry.at}-${index}`}>
                <td className="diag-nowrap">{formatInstant(entry.at, i18n.language)}</td>
                <td>
                  <span className={`badge ${entry.level === 'error' ? 'badge-danger' : 'diag-badge-warn'}`}>{t(`diagnostics.errors.levels.${entry.level}`)}</span>
                </td>
                <td lang="en">{entry.message}</td>
                <td className="mono record-id">{fieldText(entry.fields)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
