import { useRef } from 'react'
import { useTranslation } from 'react-i18next'
import type { AppInfo } from '../../../../../common/settings'
import { useFocusOnMount } from '../../../hooks/useFocusOnMount'

/**
 * "Tentang Posko": the facts IT asks for on the phone (version, post, mode), what happens to applicants' data, and
 * the credits the licences ask for: idn-area-data's ODbL wants its attribution where users see the data.
 * Addresses are plain text: the kiosk opens no other page (main/window-policy.ts).
 */
export function AboutScreen(props: { info: AppInfo; onBack?: () => void }) {
  const { t } = useTranslation()
  const { info } = props
  const headingRef = useRef<HTMLHeadingElement>(null)
  useFocusOnMount(headingRef)
  return (
    <div className="tools about">
      <h1 ref={headingRef} tabIndex={-1}>
        {t('tools.about.title')}
      </h1>
      <p className="tool-intro">{t('tools.about.intro')}</p>
      <section className="card tool-card" aria-labelledby="about-kiosk">
        <h2 id="about-kiosk">{t('tools.about.kiosk')}</h2>
        <dl className="facts tool-facts">
          <dt>{t('tools.about.version')}</dt>
          <dd className="mono">{info.version}</dd>
          <dt>{t('tools.about.post')}</dt>
          <dd>
            {info.postName} <span className="mono">({info.postId})</span>
          </dd>
          <dt>{t('tools.about.mode')}</dt>
          <dd>{t(`mode.${info.mode}`)}</dd>
        </dl>
      </section>
      <section className="card tool-card" aria-labelledby="about-privacy">
        <h2 id="about-privacy">{t('tools.about.privacyTitle')}</h2>
        <p>{t('tools.about.privacyStored')}</p>
        <p>{info.retentionDays === 0 ? t('tools.about.privacyDeletedNow') : t('tools.about.privacyDeleted', { count: info.retentionDays })}</p>
        <p>{t('tools.about.privacyAudit')}</p>
      </section>
      <section className="card tool-card" aria-labelledby="about-credits">
        <h2 id="about-credits">{t('tools.about.creditsTitle')}</h2>
        <ul className="credits">
          <li>
            <p className="credit-name">{t('tools.about.regions')}</p>
            <p>{t('tools.about.regionsDetail')}</p>
            <p className="mono record-id">https://github.com/fityannugroho/idn-area-data</p>
          </li>
          <li>
            <p className="credit-name">{t('tools.about.human')}</p>
            <p>{t('tools.about.humanDetail')}</p>
            <p className="mono record-id">https://github.com/vladmandic/human</p>
          </li>
        </ul>
      </section>
      {props.onBack && (
        <div className="actions actions-start">
          <button type="button" className="primary" onClick={props.onBack}>
            {t('tools.about.back')}
          </button>
        </div>
      )}
    </div>
  )
}
