import { useTranslation } from 'react-i18next'
import type { Screen } from '../navigation'

/** The screens this operator may open (navigation.ts decides which), as one row of large buttons. */
export function MainNav(props: { screens: readonly Screen[]; current: Screen; onNavigate: (screen: Screen) => void }) {
  const { t } = useTranslation()
  return (
    <nav className="main-nav" aria-label={t('nav.label')}>
      <ul>
        {props.screens.map((screen) => (
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
