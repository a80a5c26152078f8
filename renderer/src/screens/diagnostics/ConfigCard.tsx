import { useTranslation } from 'react-i18next'
import { configRows } from './format'

/**
 * The config the kiosk runs with, as the service gave it: anything secret-looking is already "[masked]" there
 * (main/services/diagnostics/redact.ts), so nothing here can leak a token onto a photo of the screen.
 */
export function ConfigCard(props: { config: Readonly<Record<string, unknown>> }) {
  const { t } = useTranslation()
  const rows = configRows(props.config)
  return (
    <section className="card diag-card" aria-labelledby="diag-config">
      <h2 id="diag-config">{t('diagnostics.config.title')}</h2>
      <p className="muted">{t('diagnostics.config.masked')}</p>
      <table className="diag-table diag-config">
        <caption className="visually-hidden">{t('diagnostics.config.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('diagnostics.config.key')}</th>
            <th scope="col">{t('diagnostics.config.value')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key}>
              <th scope="row" className="mono">
                {row.key}
              </th>
              <td className="mono record-id">{row.value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
