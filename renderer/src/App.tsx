import { useCallback, useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import type { AppInfo, Language } from '../../common/settings'
import { callPosko, useCall, useEvent } from './api'
import { ErrorPanel } from './components/ErrorPanel'
import { ClockNotice } from './components/clock/ClockNotice'
import { UpdateNotice } from './components/update/UpdateNotice'
import { applyLanguage } from './i18n'
import { SelfServiceApp } from './screens/selfservice/SelfServiceApp'
import { SessionGate } from './session/SessionGate'
import { useSession } from './session/useSession'

/**
 * Loads what every screen needs (the kiosk's facts and who is signed in), then picks the app: the applicants' one on a
 * self-service kiosk with nobody signed in, else the session gate decides.
 */
export function App() {
  const { t } = useTranslation()
  const [info, reloadInfo, setInfo] = useCall((posko) => posko.app.info())
  const [session, reloadSession, setSession] = useSession()

  useEffect(() => {
    if (info.status === 'ready') void applyLanguage(info.value.language)
  }, [info])

  useEvent(
    'settings.changed',
    useCallback((next: AppInfo) => setInfo(next), [setInfo]),
  )

  const changeLanguage = useCallback(
    async (language: Language) => {
      const result = await callPosko((posko) => posko.settings.setLanguage({ language }))
      if (result.ok) setInfo(result.value)
    },
    [setInfo],
  )

  if (info.status === 'error' || session.status === 'error') {
    const failed = info.status === 'error' ? info : session.status === 'error' ? session : null
    return (
      <main className="splash">
        {failed && <ErrorPanel error={failed.error} onRetry={info.status === 'error' ? reloadInfo : reloadSession} />}
      </main>
    )
  }
  if (info.status === 'loading' || session.status === 'loading') {
    return (
      <p className="splash" role="status">
        {t('app.loading')}
      </p>
    )
  }
  const onLanguage = (language: Language) => void changeLanguage(language)
  // Applicants at a self-service kiosk get their own app; staff who sign in there get the staff one.
  if (info.value.mode === 'self-service' && session.value.status === 'signed_out') {
    return <SelfServiceApp info={info.value} session={session.value} onSession={setSession} onLanguage={onLanguage} />
  }
  // Signed in and not locked only: the lock screen shows nothing else, and nobody signed out hears of updates.
  const staff = session.value.status === 'active' ? session.value.operator : null
  return (
    <>
      {staff && <ClockNotice clock={info.value.clock} />}
      <SessionGate info={info.value} session={session.value} onSession={setSession} onLanguage={onLanguage} />
      {staff && <UpdateNotice key={staff.id} role={staff.role} mode={info.value.mode} />}
    </>
  )
}
