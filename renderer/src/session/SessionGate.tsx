import { useCallback, useEffect, useState } from 'react'
import type { AppInfo, Language } from '../../../common/settings'
import type { SessionState } from '../../../common/staff'
import type { PoskoErrorShape } from '../../../common/result'
import { callPosko } from '../api'
import { AppShell } from '../AppShell'
import { AppFrame } from '../components/AppFrame'
import { AboutFooter } from '../screens/tools/about/AboutFooter'
import { AboutScreen } from '../screens/tools/about/AboutScreen'
import { FirstRunScreen } from './FirstRunScreen'
import { LockOverlay } from './LockOverlay'
import { SignInScreen } from './SignInScreen'

/**
 * Which of the four pictures the kiosk shows: first run, sign-in, the app, or the app under the lock screen.
 * Signing out unmounts the app (a new key on the next sign-in), so no draft or search result survives it.
 * A self-service kiosk with nobody signed in shows the app itself: applicants never see a sign-in screen.
 */
export function SessionGate(props: { info: AppInfo; session: SessionState; onSession: (state: SessionState) => void; onLanguage: (language: Language) => void }) {
  const { info, session, onSession } = props
  const { status } = session
  const selfService = info.mode === 'self-service'
  // The app behind a lock is kept only if it was in use: a kiosk started while locked has nothing to keep.
  const [wasActive, setWasActive] = useState(false)
  const [epoch, setEpoch] = useState(0)
  // Signed out there is no menu: "Tentang Posko" opens over the sign-in screen and goes back to it.
  const [about, setAbout] = useState(false)
  useEffect(() => {
    if (status === 'active') setWasActive(true)
    if (status === 'signed_out') {
      setWasActive(false)
      setEpoch((n) => n + 1)
    }
  }, [status])

  const signOut = useCallback(async (): Promise<PoskoErrorShape | null> => {
    const result = await callPosko((posko) => posko.session.signOut())
    if (!result.ok) return result.error
    onSession(result.value)
    return null
  }, [onSession])

  const lock = useCallback(async () => {
    const result = await callPosko((posko) => posko.session.lock())
    if (result.ok) onSession(result.value)
  }, [onSession])

  if (status === 'signed_out' && !selfService) {
    return (
      <AppFrame info={info} onLanguage={props.onLanguage} footer={<AboutFooter current={about} onOpen={() => setAbout(true)} />}>
        {about ? (
          <AboutScreen info={info} onBack={() => setAbout(false)} />
        ) : session.setupRequired ? (
          <FirstRunScreen onSession={onSession} />
        ) : (
          <SignInScreen onSession={onSession} />
        )}
      </AppFrame>
    )
  }

  const locked = status === 'locked'
  const showApp = !locked || wasActive
  return (
    <>
      {showApp && (
        <AppShell
          key={`${epoch}:${session.operator?.id ?? ''}`}
          info={info}
          session={session}
          inert={locked}
          onLanguage={props.onLanguage}
          onLock={() => void lock()}
          onSignOut={() => void signOut()}
        />
      )}
      {locked && session.operator && (
        <LockOverlay operator={session.operator} timeoutMinutes={session.timeoutMinutes} onSession={onSession} onSignOut={signOut} />
      )}
    </>
  )
}
