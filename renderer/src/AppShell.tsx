import { useCallback, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { AppInfo, Language } from '../../common/settings'
import type { SessionState } from '../../common/staff'
import { AppFrame } from './components/AppFrame'
import { MainNav } from './components/MainNav'
import { SessionBar } from './components/SessionBar'
import type { Screen } from './navigation'
import { menuFor, screensFor } from './navigation'
import { AuditScreen } from './screens/audit/AuditScreen'
import { DiagnosticsScreen } from './screens/diagnostics/DiagnosticsScreen'
import { HomeScreen } from './screens/HomeScreen'
import { OperatorsScreen } from './screens/operators/OperatorsScreen'
import { RegistrationScreen } from './screens/registration/RegistrationScreen'
import { RejectedScreen } from './screens/rejected/RejectedScreen'
import { AnomalyScreen } from './screens/anomalies/AnomalyScreen'
import { PairingScreen } from './screens/pairing/PairingScreen'
import { BackupScreen } from './screens/backup/BackupScreen'
import { SearchScreen } from './screens/search/SearchScreen'
import { ReviewListScreen } from './screens/selfservice/staff/ReviewListScreen'
import { AboutFooter } from './screens/tools/about/AboutFooter'
import { AboutScreen } from './screens/tools/about/AboutScreen'
import { BundleScreen } from './screens/tools/bundles/BundleScreen'
import { EnrolmentScreen } from './screens/tools/enrolment/EnrolmentScreen'
import { PurgeScreen } from './screens/tools/purge/PurgeScreen'
import { ReportScreen } from './screens/tools/report/ReportScreen'
import { useActivityTouch } from './session/useSession'
import type { DraftGuard, ResumedForm } from './screens/registration/desk/draftGuard'
import { takeHandover } from './screens/registration/desk/draftGuard'
import { LeaveDialog } from './screens/registration/desk/LeaveDialog'
import { ParkedDrafts } from './screens/registration/desk/ParkedDrafts'

/**
 * The app for one session: its screen, drafts and search results live here and nowhere else, so the session gate
 * drops them all by unmounting this component when the operator signs out.
 */
export function AppShell(props: {
  info: AppInfo
  session: SessionState
  inert: boolean
  onLanguage: (language: Language) => void
  onLock: () => void
  onSignOut: () => void
}) {
  const { operator } = props.session
  const role = operator?.role ?? null
  const screens = useMemo(() => screensFor(role, props.info.mode), [role, props.info.mode])
  const { t } = useTranslation()
  // An applicant's draft staff took over with the hidden gesture (self-service) opens at once in the registration.
  const [resume, setResume] = useState<ResumedForm | null>(() => takeHandover())
  const [screen, setScreen] = useState<Screen>(() => (resume ? 'register' : 'home'))
  // Each visit to "Pendaftaran baru" is a new registration: a new key ends the previous one (after asking, below).
  const [registration, setRegistration] = useState(0)
  // The registration on screen says whether it holds someone's data, and hands it over to be parked (issue 19.2).
  const draftGuard = useRef<DraftGuard | null>(null)
  // Where staff were going when the question came up: a screen, or out of the session ("Keluar").
  const [leaving, setLeaving] = useState<Screen | 'signOut' | null>(null)
  const [parkedNotice, setParkedNotice] = useState<string | null>(null)
  const go = useCallback(
    (next: Screen, draft: ResumedForm | null = null) => {
      if (!screens.includes(next)) return
      setResume(draft)
      if (next === 'register') setRegistration((n) => n + 1)
      setScreen(next)
    },
    [screens],
  )
  const current = screens.includes(screen) ? screen : 'home'
  // Beranda, any menu item, the footer, "Pendaftaran baru" again: a started registration is never dropped unasked.
  const navigate = useCallback(
    (next: Screen) => {
      if (current === 'register' && draftGuard.current?.started()) return setLeaving(next)
      setParkedNotice(null)
      go(next)
    },
    [current, go],
  )
  // Signing out ends the session, and a draft in memory with it: asked like leaving the screen (park, drop, stay).
  const { onSignOut } = props
  const signOut = useCallback(() => {
    if (current === 'register' && draftGuard.current?.started()) return setLeaving('signOut')
    onSignOut()
  }, [current, onSignOut])
  useActivityTouch(props.session.status === 'active')

  return (
    <AppFrame
      info={props.info}
      onLanguage={props.onLanguage}
      inert={props.inert}
      sessionBar={operator && <SessionBar operator={operator} onLock={props.onLock} onSignOut={signOut} />}
      nav={<MainNav screens={menuFor(screens)} current={current} onNavigate={navigate} />}
      footer={<AboutFooter current={current === 'about'} onOpen={() => navigate('about')} />}
    >
      {current === 'home' && (
        <HomeScreen
          info={props.info}
          signedIn={operator !== null}
          role={role}
          screens={screens}
          onNavigate={navigate}
          drafts={screens.includes('register') && <ParkedDrafts notice={parkedNotice} onResume={(draft) => go('register', draft)} />}
        />
      )}
      {current === 'register' && <RegistrationScreen key={registration} resume={resume ?? undefined} guard={draftGuard} onRestart={() => go('register')} />}
      {leaving && draftGuard.current && (
        <LeaveDialog
          guard={draftGuard.current}
          onStay={() => setLeaving(null)}
          onLeave={(parked) => {
            setLeaving(null)
            if (leaving === 'signOut') return onSignOut()
            setParkedNotice(parked === null ? null : t('desk.parked.done', { number: parked }))
            go(leaving)
          }}
        />
      )}
      {current === 'search' && <SearchScreen />}
      {current === 'rejected' && <RejectedScreen />}
      {current === 'review' && <ReviewListScreen />}
      {current === 'operators' && operator && <OperatorsScreen self={operator.id} manage={operator.role === 'supervisor'} />}
      {current === 'anomalies' && <AnomalyScreen />}
      {current === 'pairing' && <PairingScreen />}
      {current === 'audit' && <AuditScreen info={props.info} />}
      {current === 'bundles' && <BundleScreen />}
      {current === 'backup' && <BackupScreen />}
      {current === 'purge' && <PurgeScreen info={props.info} />}
      {current === 'report' && <ReportScreen info={props.info} />}
      {current === 'enrolment' && <EnrolmentScreen info={props.info} role={role} />}
      {current === 'diagnostics' && <DiagnosticsScreen info={props.info} />}
      {current === 'about' && <AboutScreen info={props.info} />}
    </AppFrame>
  )
}
