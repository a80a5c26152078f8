import { useTranslation } from 'react-i18next'
import { formatDateTime } from '../../dates'
import type { AuditRow } from './auditCsv'
import { describeAudit } from './auditDescription'

export function AuditTable(props: { rows: readonly AuditRow[] }) {
  const { t, i18n } = useTranslation()
  const actionLabel = (action: string) => (i18n.exists(`audit.actions.${action}`) ? t(`audit.actions.${action}`) : action)
  return (
    <table className="results-table audit-table">
      <thead>
        <tr>
          <th scope="col">{t('audit.seq')}</th>
          <th scope="col">{t('audit.at')}</th>
          <th scope="col">{t('audit.actor')}</th>
          <th scope="col">{t('audit.action')}</th>
          <th scope="col">{t('audit.record')}</th>
          <th scope="col">{t('audit.details')}</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => (
          <tr key={row.seq}>
            <th scope="row" className="mono">
              {row.seq}
            </th>
            <td>{formatDateTime(row.at, i18n.language)}</td>
            <td className="mono">{row.actor ?? t('audit.system')}</td>
            <td data-action={row.action}>{actionLabel(row.action)}</td>
            <td className="mono">{row.receiptNo ?? ''}</td>
            <td className="audit-details">{describeAudit(row, t, (key) => i18n.exists(key))}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
