import type { FocusEvent, ReactNode } from 'react'
import { useCallback, useEffect, useRef, useState } from 'react'
import { OnScreenKeyboardContext } from './context'
import { KeyboardPanel } from './KeyboardPanel'
import type { KeyboardKind } from './layouts'
import { isKeyboardKind } from './layouts'
import { typeInto } from './typeInto'

interface Target {
  element: HTMLInputElement
  kind: KeyboardKind
}

/**
 * A touch kiosk's keyboard: docked under the content while a text field in it has focus, typing into that field.
 * The content scrolls above it, so the keys never cover the field. A physical keyboard keeps working as usual.
 *
 * The keyboard appears or goes only between taps, never during one: a tap on "Lanjut" first moves focus (pointer
 * down), and if the keys vanished right then, the button would move out from under the finger before it lifts and
 * the tap would be lost. So focus changes made by a pointer are looked at once its click is over.
 */
export function OnScreenKeyboard(props: { children: ReactNode }) {
  const [target, setTarget] = useState<Target | null>(null)
  const hostRef = useRef<HTMLDivElement>(null)
  const panelRef = useRef<HTMLDivElement>(null)
  const pressing = useRef(false)

  // Follows the focused element: a field of ours gets its keyboard, anything else none.
  const sync = useCallback(() => {
    const active = document.activeElement
    if (active && panelRef.current?.contains(active)) return
    const kind = active instanceof HTMLInputElement && hostRef.current?.contains(active) ? active.dataset.keyboard : undefined
    setTarget((current) => {
      if (!(active instanceof HTMLInputElement) || !isKeyboardKind(kind)) return null
      return current?.element === active && current.kind === kind ? current : { element: active, kind }
    })
  }, [])

  useEffect(() => {
    const down = () => {
      pressing.current = true
    }
    // On window, bubbling: the last to hear of the click, after the button (and React) acted on it.
    const over = () => {
      pressing.current = false
      sync()
    }
    // A key press means no tap is under way (one whose click never came must not hold the keyboard still).
    const typed = () => {
      pressing.current = false
    }
    document.addEventListener('pointerdown', down, true)
    document.addEventListener('keydown', typed, true)
    window.addEventListener('click', over)
    window.addEventListener('pointercancel', over)
    return () => {
      document.removeEventListener('pointerdown', down, true)
      document.removeEventListener('keydown', typed, true)
      window.removeEventListener('click', over)
      window.removeEventListener('pointercancel', over)
    }
  }, [sync])

  const onFocus = () => {
    if (!pressing.current) sync()
  }

  const onBlur = (event: FocusEvent<HTMLDivElement>) => {
    const next = event.relatedTarget
    // Focus moving within the area is onFocus's to judge; leaving it (or to nothing) puts the keys away.
    if (!pressing.current && !(next instanceof Node && hostRef.current?.contains(next))) sync()
  }

  // Once the keys took their room, the field being typed into must still be in sight.
  useEffect(() => {
    target?.element.scrollIntoView({ block: 'center' })
  }, [target])

  const onKey = (key: string) => {
    const input = target?.element
    if (!input?.isConnected) return setTarget(null)
    if (document.activeElement !== input) input.focus({ preventScroll: true })
    if (key === '{enter}') input.form?.requestSubmit()
    else typeInto(input, key)
  }

  return (
    <OnScreenKeyboardContext.Provider value={true}>
      <div className={target ? 'osk-host osk-open' : 'osk-host'} ref={hostRef} onFocus={onFocus} onBlur={onBlur}>
        <div className="osk-content">{props.children}</div>
        {target && (
          <div ref={panelRef} className="osk-dock">
            <KeyboardPanel key={target.kind} kind={target.kind} onKey={onKey} onHide={() => target.element.blur()} />
          </div>
        )}
      </div>
    </OnScreenKeyboardContext.Provider>
  )
}
