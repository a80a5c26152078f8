import { useCallback, useMemo, useState } from 'react'
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
import { SearchScreen } from './screens/search/SearchScreen'
import { ReviewListScreen } from './screens/selfservice/staff/ReviewListScreen'
import { AboutFooter } from './screens/tools/about/AboutFooter'
import { AboutScreen } from './screens/tools/about/AboutScreen'
import { BundleScreen } from './screens/tools/bundles/BundleScreen'
import { EnrolmentScreen } from './screens/tools/enrolment/EnrolmentScreen'
import { PurgeScreen } from './screens/tools/purge/PurgeScreen'
import { ReportScreen } from './screens/tools/report/ReportScreen'
import { useActivityTouch } from './session/useSession'

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
  const [screen, setScreen] = useState<Screen>('home')
  // Each visit to "Pendaftaran baru" is a new, empty registration: a new key discards the previous draft.
  const [registration, setRegistration] = useState(0)
  const navigate = useCallback(
    (next: Screen) => {
      if (!screens.includes(next)) return
      if (next === 'register') setRegistration((n) => n + 1)
      setScreen(next)
    },
    [screens],
  )
  useActivityTouch(props.session.status === 'active')
  const current = screens.includes(screen) ? screen : 'home'

  return (
    <AppFrame
      info={props.info}
      onLanguage={props.onLanguage}
      inert={props.inert}
      sessionBar={operator && <SessionBar operator={operator} onLock={props.onLock} onSignOut={props.onSignOut} />}
      nav={<MainNav screens={menuFor(screens)} current={current} onNavigate={navigate} />}
      footer={<AboutFooter current={current === 'about'} onOpen={() => navigate('about')} />}
    >
      {current === 'home' && <HomeScreen info={props.info} signedIn={operator !== null} role={role} screens={screens} onNavigate={navigate} />}
      {current === 'register' && <RegistrationScreen key={registration} onRestart={() => navigate('register')} />}
      {current === 'search' && <SearchScreen />}
      {current === 'rejected' && <RejectedScreen />}
      {current === 'review' && <ReviewListScreen />}
      {current === 'operators' && operator && <OperatorsScreen self={operator.id} manage={operator.role === 'supervisor'} />}
      {current === 'audit' && <AuditScreen info={props.info} />}
      {current === 'bundles' && <BundleScreen />}
      {current === 'purge' && <PurgeScreen info={props.info} />}
      {current === 'report' && <ReportScreen info={props.info} />}
      {current === 'enrolment' && <EnrolmentScreen info={props.info} role={role} />}
      {current === 'diagnostics' && <DiagnosticsScreen info={props.info} />}
      {current === 'about' && <AboutScreen info={props.info} />}
    </AppFrame>
  )
}
