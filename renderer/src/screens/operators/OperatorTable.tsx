import { useTranslation } from 'react-i18next'
import type { OperatorView } from '../../../../common/staff'

export type OperatorAction = 'unlock' | 'activate' | 'deactivate'

export function OperatorTable(props: { operators: readonly OperatorView[]; self: string; manage: boolean; onAction: (operator: OperatorView, action: OperatorAction) => void }) {
  const { t } = useTranslation()
  return (
    <table className="results-table operators-table">
      <thead>
        <tr>
          <th scope="col">{t('operators.id')}</th>
          <th scope="col">{t('operators.name')}</th>
          <th scope="col">{t('operators.role')}</th>
          <th scope="col">{t('operators.status')}</th>
          <th scope="col">{t('operators.actions')}</th>
        </tr>
      </thead>
      <tbody>
        {props.operators.map((operator) => (
          <tr key={operator.id}>
            <th scope="row" className="mono">
              {operator.id}
            </th>
            <td>
              {operator.name} {operator.id === props.self && <span className="muted">{t('operators.you')}</span>}
            </td>
            <td>{t(`role.${operator.role}`)}</td>
            <td>
              <OperatorStatus operator={operator} />
            </td>
            <td>
              {/* A flex box inside the cell: a flex cell would stop being a table cell and lose its row's border. */}
              <div className="row-actions">
                <OperatorActions operator={operator} self={operator.id === props.self} manage={props.manage} onAction={props.onAction} />
              </div>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function OperatorStatus(props: { operator: OperatorView }) {
  const { t } = useTranslation()
  const { operator } = props
  return (
    <span className="operator-status">
      <span className={operator.active ? 'badge badge-ok' : 'badge'}>{operator.active ? t('operators.active') : t('operators.inactive')}</span>
      {operator.locked && <span className="badge badge-danger">{t('operators.locked')}</span>}
      {!operator.locked && operator.failedAttempts > 0 && <span className="muted">{t('operators.failed', { count: operator.failedAttempts })}</span>}
    </span>
  )
}

/** Each button's name carries the person's name: "Buka kunci Oki Operator" is unambiguous out of context. */
function OperatorActions(props: { operator: OperatorView; self: boolean; manage: boolean; onAction: (operator: OperatorView, action: OperatorAction) => void }) {
  const { t } = useTranslation()
  const { operator } = props
  const name = { name: operator.name }
  return (
    <>
      {operator.locked && (
        <button type="button" className="primary" aria-label={t('operators.unlockFor', name)} onClick={() => props.onAction(operator, 'unlock')}>
          {t('operators.unlock')}
        </button>
      )}
      {props.manage && operator.active && !props.self && (
        <button type="button" aria-label={t('operators.deactivateFor', name)} onClick={() => props.onAction(operator, 'deactivate')}>
          {t('operators.deactivate')}
        </button>
      )}
      {props.manage && !operator.active && (
        <button type="button" aria-label={t('operators.activateFor', name)} onClick={() => props.onAction(operator, 'activate')}>
          {t('operators.activate')}
        </button>
      )}
    </>
  )
}
