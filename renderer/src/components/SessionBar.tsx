import { useTranslation } from 'react-i18next'
import type { SessionState } from '../../../common/staff'

/** Who is working at this desk, and the two ways to leave it: lock (keeps the work) or sign out (drops it). */
export function SessionBar(props: { operator: NonNullable<SessionState['operator']>; onLock: () => void; onSignOut: () => void }) {
  const { t } = useTranslation()
  return (
    <div className="session-bar" role="group" aria-label={t('session.label')}>
      <p className="session-who">
        <span className="session-name">{props.operator.name}</span>
        <span className="session-role">{t(`role.${props.operator.role}`)}</span>
      </p>
      <button type="button" onClick={props.onLock}>
        {t('session.lock')}
      </button>
      <button type="button" onClick={props.onSignOut}>
        {t('session.signOut')}
      </button>
    </div>
  )
}
