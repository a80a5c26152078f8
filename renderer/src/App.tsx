import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { AppInfo, Language } from '../../common/contract'
import { getPosko, useCall, useEvent } from './api'
import { AppFrame } from './components/AppFrame'
import { ErrorPanel } from './components/ErrorPanel'
import { applyLanguage } from './i18n'
import type { Screen } from './navigation'
import { HomeScreen } from './screens/HomeScreen'
import { RegistrationScreen } from './screens/registration/RegistrationScreen'
import { SearchScreen } from './screens/search/SearchScreen'

export function App() {
  const { t } = useTranslation()
  const [info, reload, setInfo] = useCall((posko) => posko.app.info())
  const [screen, setScreen] = useState<Screen>('home')
  // Each visit to "Pendaftaran baru" is a new, empty registration: a new key discards the previous draft.
  const [registration, setRegistration] = useState(0)
  const navigate = useCallback((next: Screen) => {
    if (next === 'register') setRegistration((n) => n + 1)
    setScreen(next)
  }, [])

  useEffect(() => {
    if (info.status === 'ready') void applyLanguage(info.value.language)
  }, [info])

  useEvent(
    'settings.changed',
    useCallback((next: AppInfo) => setInfo(next), [setInfo]),
  )

  const changeLanguage = useCallback(
    async (language: Language) => {
      const posko = getPosko()
      if (!posko) return
      const result = await posko.settings.setLanguage({ language })
      if (result.ok) setInfo(result.value)
    },
    [setInfo],
  )

  if (info.status === 'loading') {
    return (
      <p className="splash" role="status">
        {t('app.loading')}
      </p>
    )
  }
  if (info.status === 'error') {
    return (
      <main className="splash">
        <ErrorPanel error={info.error} onRetry={reload} />
      </main>
    )
  }
  return (
    <AppFrame info={info.value} onLanguage={changeLanguage} screen={screen} onNavigate={navigate}>
      {screen === 'home' && <HomeScreen info={info.value} onNavigate={navigate} />}
      {screen === 'register' && <RegistrationScreen key={registration} onRestart={() => navigate('register')} />}
      {screen === 'search' && <SearchScreen />}
    </AppFrame>
  )
}
