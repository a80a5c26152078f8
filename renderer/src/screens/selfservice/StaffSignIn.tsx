import type { SessionState } from '../../../../common/staff'
import { useTranslation } from 'react-i18next'
import { SignInScreen } from '../../session/SignInScreen'

/** The staff sign-in behind the hidden gesture, with a way back for whoever opened it by chance. */
export function StaffSignIn(props: { onSession: (state: SessionState) => void; onCancel: () => void }) {
  const { t } = useTranslation()
  return (
    <div className="ss-page ss-staff">
      <SignInScreen onSession={props.onSession} />
      <div className="actions ss-actions">
        <button type="button" onClick={props.onCancel}>
          {t('selfService.staff.back')}
        </button>
      </div>
    </div>
  )
}
