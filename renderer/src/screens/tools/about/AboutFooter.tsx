import { useTranslation } from 'react-i18next'

/**
 * The way to "Tentang Posko" from every screen, signed in or not: a footer button rather than a menu entry, so
 * the menus keep to each role's work. A button, not a link: the kiosk's screens are state, not URLs.
 */
export function AboutFooter(props: { current: boolean; onOpen: () => void }) {
  const { t } = useTranslation()
  return (
    <footer className="frame-footer">
      <button type="button" className="footer-link" aria-current={props.current ? 'page' : undefined} onClick={props.onOpen}>
        {t('tools.about.open')}
      </button>
    </footer>
  )
}
