import { useTranslation } from 'react-i18next'
import type { Language } from '../../../common/settings'
import { Language as LanguageSchema } from '../../../common/settings'

/** Two large toggle buttons rather than a dropdown: one tap on a touch kiosk, Bahasa Indonesia first. */
export function LanguageSwitch(props: { value: Language; onChange: (language: Language) => void }) {
  const { t } = useTranslation()
  return (
    <div className="language-switch" role="group" aria-label={t('language.label')}>
      {LanguageSchema.options.map((language) => (
        <button
          key={language}
          type="button"
          lang={language}
          aria-pressed={props.value === language}
          onClick={() => props.onChange(language)}
        >
          {t(`language.${language}`)}
        </button>
      ))}
    </div>
  )
}
