import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { AppInfo, Language } from '../../../common/contract'
import type { Screen } from '../navigation'
import { LanguageSwitch } from './LanguageSwitch'
import { MainNav } from './MainNav'

export function AppFrame(props: {
  info: AppInfo
  onLanguage: (language: Language) => void
  screen: Screen
  onNavigate: (screen: Screen) => void
  children: ReactNode
}) {
  const { t } = useTranslation()
  return (
    <div className="frame">
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="frame-header">
        <div className="brand">
          <span className="brand-name">{t('app.name')}</span>
          <span className="brand-tagline">{t('app.tagline')}</span>
        </div>
        <div className="post">
          <span className="post-name">{t('app.post', { name: props.info.postName })}</span>
          <span className="post-mode">{t(`mode.${props.info.mode}`)}</span>
        </div>
        <LanguageSwitch value={props.info.language} onChange={props.onLanguage} />
      </header>
      <MainNav current={props.screen} onNavigate={props.onNavigate} />
      <main id="main" className="frame-main" tabIndex={-1}>
        {props.children}
      </main>
    </div>
  )
}
