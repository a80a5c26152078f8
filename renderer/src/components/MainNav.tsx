import { useEffect, useId, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Screen } from '../navigation'

/**
 * The screens this operator may open (navigation.ts decides which), behind one "Menu" button in the header's single
 * row (issue 19: the two-row header and menu took 39 % of a 1366×768 screen). A disclosure, not an ARIA menu: a
 * button with aria-expanded and a plain list of buttons under it, so Tab, Enter and touch work as everywhere else.
 * Escape or a tap outside closes it; choosing a screen closes it too. The screen being shown is named on the button.
 */
export function MainNav(props: { screens: readonly Screen[]; current: Screen; onNavigate: (screen: Screen) => void }) {
  const { t } = useTranslation()
  const [open, setOpen] = useState(false)
  const listId = useId()
  const rootRef = useRef<HTMLElement>(null)
  const toggleRef = useRef<HTMLButtonElement>(null)

  useEffect(() => {
    if (!open) return
    const onPointer = (event: PointerEvent) => {
      if (event.target instanceof Node && !rootRef.current?.contains(event.target)) setOpen(false)
    }
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return
      setOpen(false)
      toggleRef.current?.focus()
    }
    document.addEventListener('pointerdown', onPointer)
    document.addEventListener('keydown', onKey)
    return () => {
      document.removeEventListener('pointerdown', onPointer)
      document.removeEventListener('keydown', onKey)
    }
  }, [open])

  return (
    <nav ref={rootRef} className="main-nav" aria-label={t('nav.label')}>
      <button
        ref={toggleRef}
        type="button"
        className="main-nav-toggle"
        aria-expanded={open}
        aria-controls={listId}
        onClick={() => setOpen((was) => !was)}
      >
        <span aria-hidden="true">☰ </span>
        {t('nav.open')}
      </button>
      <ul id={listId} hidden={!open}>
        {props.screens.map((screen) => (
          <li key={screen}>
            <button
              type="button"
              aria-current={props.current === screen ? 'page' : undefined}
              onClick={() => {
                setOpen(false)
                props.onNavigate(screen)
              }}
            >
              {t(`nav.${screen}`)}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  )
}
