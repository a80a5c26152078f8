import i18next from 'i18next'
import { initReactI18next } from 'react-i18next'
import type { Language } from '../../common/settings'
import { defaultLanguage, resources } from '../../common/i18n'

void i18next.use(initReactI18next).init({
  resources: { id: { translation: resources.id }, en: { translation: resources.en } },
  lng: defaultLanguage,
  fallbackLng: defaultLanguage,
  // React escapes text already; i18next escaping would show entities.
  interpolation: { escapeValue: false },
  returnNull: false,
})

/** Switches the UI language and the document's `lang` (screen readers pick their voice from it). */
export async function applyLanguage(language: Language): Promise<void> {
  document.documentElement.lang = language
  await i18next.changeLanguage(language)
}

export default i18next
