import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { AppInfo, Language } from '../../../common/settings'
import { LanguageSwitch } from './LanguageSwitch'

/**
 * The page around every screen: the header (brand, menu, post, who is signed in, language) in one row, and the
 * main landmark. One row because at 1366×768 every pixel of height is a field or a button (issue 19): the menu is
 * one button (MainNav) rather than a second row. Signed out there is no menu and no session bar. `inert` while the lock screen covers it: nothing behind the
 * lock can be focused, clicked or read out, yet everything keeps its state.
 */
export function AppFrame(props: {
  info: AppInfo
  onLanguage: (language: Language) => void
  sessionBar?: ReactNode
  nav?: ReactNode
  /** Under the main landmark on every screen (the way to "Tentang Posko"). */
  footer?: ReactNode
  inert?: boolean
  children: ReactNode
}) {
  const { t } = useTranslation()
  return (
    <div className="frame" inert={props.inert} aria-hidden={props.inert ? true : undefined}>
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="frame-header">
        <div className="brand">
          <span className="brand-name">{t('app.name')}</span>
          <span className="brand-tagline">{t('app.tagline')}</span>
        </div>
        {props.nav}
        <div className="post">
          <span className="post-name">{t('app.post', { name: props.info.postName })}</span>
          <span className="post-mode">{t(`mode.${props.info.mode}`)}</span>
        </div>
        {props.sessionBar}
        <LanguageSwitch value={props.info.language} onChange={props.onLanguage} />
      </header>
      <main id="main" className="frame-main" tabIndex={-1}>
        {props.children}
      </main>
      {props.footer}
    </div>
  )
}
