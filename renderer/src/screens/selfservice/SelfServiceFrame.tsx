import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { AppInfo, Language } from '../../../../common/settings'
import { LanguageSwitch } from '../../components/LanguageSwitch'
import './selfservice.css'

/**
 * The self-service page: brand, post and language, then the content filling the screen down to the on-screen
 * keyboard. No menu and no session bar: an applicant sees their own registration only. Five quick taps on the
 * post name open the staff sign-in (`onPostTap`); it is no button, so it is neither announced nor in the Tab order.
 */
export function SelfServiceFrame(props: { info: AppInfo; onLanguage: (language: Language) => void; onPostTap?: () => void; inert?: boolean; children: ReactNode }) {
  const { t } = useTranslation()
  return (
    <div className="ss-frame" inert={props.inert} aria-hidden={props.inert ? true : undefined}>
      <header className="frame-header ss-header">
        <div className="brand">
          <span className="brand-name">{t('app.name')}</span>
          <span className="brand-tagline">{t('app.tagline')}</span>
        </div>
        <div className="post" onClick={props.onPostTap}>
          <span className="post-name">{t('app.post', { name: props.info.postName })}</span>
          <span className="post-mode">{t(`mode.${props.info.mode}`)}</span>
        </div>
        <LanguageSwitch value={props.info.language} onChange={props.onLanguage} />
      </header>
      <main id="main" className="ss-main" tabIndex={-1}>
        {props.children}
      </main>
    </div>
  )
}
