import { useCallback, useEffect, useRef, useState } from 'react'
import type { AppInfo, Language } from '../../../../common/settings'
import type { SessionState } from '../../../../common/staff'
import { IdleDialog } from '../../components/idle/IdleDialog'
import { useIdleTimer } from '../../components/idle/useIdleTimer'
import { OnScreenKeyboard } from '../../components/keyboard/OnScreenKeyboard'
import { FirstRunScreen } from '../../session/FirstRunScreen'
import { SelfServiceFlow } from './SelfServiceFlow'
import { SelfServiceFrame } from './SelfServiceFrame'
import { StaffSignIn } from './StaffSignIn'
import { useSupervisorGesture } from './useSupervisorGesture'
import type { ResumedForm } from '../registration/desk/draftGuard'
import { offerHandover } from '../registration/desk/draftGuard'

/**
 * A self-service kiosk with no staff signed in. Each applicant gets a fresh flow (a new key), so forgetting
 * someone is unmounting their flow: after "Selesai", after the idle reset, and when staff open their sign-in.
 * Nothing of a draft is ever stored: it lives in React state and goes with the component.
 * A kiosk with no staff account at all first needs its supervisor: it can't be run (or switched back) without one.
 */
export function SelfServiceApp(props: { info: AppInfo; session: SessionState; onSession: (state: SessionState) => void; onLanguage: (language: Language) => void }) {
  const { info, session, onSession, onLanguage } = props
  const [applicant, setApplicant] = useState(0)
  const [staff, setStaff] = useState(false)
  // The next applicant starts in the kiosk's language (as it was when the welcome first showed), whatever the
  // last one picked.
  const kioskLanguage = useRef(info.language)
  const language = useRef(info.language)
  useEffect(() => {
    language.current = info.language
  }, [info.language])
  // The applicant's draft, read when staff open their sign-in (issue 19.2).
  const draft = useRef<(() => ResumedForm | null) | null>(null)
  const restart = useCallback(() => {
    // Nobody signed in to take the draft over: it is forgotten with the flow, as before.
    offerHandover(null)
    setStaff(false)
    setApplicant((n) => n + 1)
    if (language.current !== kioskLanguage.current) onLanguage(kioskLanguage.current)
  }, [onLanguage])
  const idle = useIdleTimer({ ...info.idle, enabled: !session.setupRequired, onReset: restart })
  const onPostTap = useSupervisorGesture(
    useCallback(() => {
      // The draft goes along to whoever signs in now; leaving the sign-in or the idle reset drops it (restart).
      // (A second gesture on the sign-in has no flow to read: what was offered stays offered.)
      const snapshot = draft.current?.()
      if (snapshot !== undefined) offerHandover(snapshot)
      setStaff(true)
      setApplicant((n) => n + 1)
    }, []),
  )

  if (session.setupRequired) {
    return (
      <SelfServiceFrame info={info} onLanguage={onLanguage}>
        <OnScreenKeyboard>
          <div className="ss-page">
            <FirstRunScreen onSession={onSession} />
          </div>
        </OnScreenKeyboard>
      </SelfServiceFrame>
    )
  }

  return (
    <>
      <SelfServiceFrame info={info} onLanguage={onLanguage} onPostTap={onPostTap} inert={idle.warning}>
        <OnScreenKeyboard key={applicant}>
          {staff ? <StaffSignIn onSession={onSession} onCancel={restart} /> : <SelfServiceFlow onDone={restart} draftRef={draft} />}
        </OnScreenKeyboard>
      </SelfServiceFrame>
      {idle.warning && <IdleDialog secondsLeft={idle.secondsLeft} onStay={idle.stillHere} />}
    </>
  )
}
