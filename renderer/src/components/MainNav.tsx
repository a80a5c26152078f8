import { useTranslation } from 'react-i18next'
import type { Screen } from '../navigation'
import { SCREENS } from '../navigation'

export function MainNav(props: { current: Screen; onNavigate: (screen: Screen) => void }) {
  const { t } = useTranslation()
  return (
    <nav className="main-nav" aria-label={t('nav.label')}>
      <ul>
        {SCREENS.map((screen) => (
          <li key={screen}>
            <button type="button" aria-current={props.current === screen ? 'page' : undefined} onClick={() => props.onNavigate(screen)}>
              {t(`nav.${screen}`)}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  )
}
