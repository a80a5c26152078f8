import { useCallback, useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import type { AppInfo, Language } from '../../common/contract'
import { getPosko, useCall, useEvent } from './api'
import { AppFrame } from './components/AppFrame'
import { ErrorPanel } from './components/ErrorPanel'
import { applyLanguage } from './i18n'
import { HomeScreen } from './screens/HomeScreen'

export function App() {
  const { t } = useTranslation()
  const [info, reload, setInfo] = useCall((posko) => posko.app.info())

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
    <AppFrame info={info.value} onLanguage={changeLanguage}>
      <HomeScreen info={info.value} />
    </AppFrame>
  )
}
