import { useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { SimpleKeyboard } from 'react-simple-keyboard'
import Keyboard from 'react-simple-keyboard'
import 'react-simple-keyboard/build/css/index.css'
import { BACKSPACE, SPACE } from './keys'
import type { KeyboardKind } from './layouts'
import { keysOf, LAYOUTS } from './layouts'
import './keyboard.css'

const SHIFT = '{shift}'
const ENTER = '{enter}'

/**
 * The keys themselves (react-simple-keyboard, rendered as real buttons). Keys never take focus, so the field keeps
 * its caret; they stay out of the Tab order (whoever tabs has a real keyboard).
 * Text is never kept here: the library's own copy of the input is emptied after every key.
 */
export function KeyboardPanel(props: { kind: KeyboardKind; onKey: (key: string) => void; onHide: () => void }) {
  const { t } = useTranslation()
  const [shifted, setShifted] = useState(false)
  const instance = useRef<SimpleKeyboard | null>(null)
  // Names start in capitals (as on the KTP), email in small letters: the key offers the other case.
  const capitals = (props.kind === 'text') !== shifted
  const attributes = useMemo(() => {
    const all = keysOf(props.kind).join(' ')
    return [
      { attribute: 'type', value: 'button', buttons: all },
      { attribute: 'tabindex', value: '-1', buttons: all },
      { attribute: 'aria-label', value: t('selfService.keyboard.backspace'), buttons: BACKSPACE },
      { attribute: 'aria-label', value: t('selfService.keyboard.enter'), buttons: ENTER },
      { attribute: 'aria-label', value: capitals ? t('selfService.keyboard.toSmall') : t('selfService.keyboard.toCapitals'), buttons: SHIFT },
    ]
  }, [props.kind, capitals, t])
  const display = useMemo(
    () => ({
      [BACKSPACE]: `⌫ ${t('selfService.keyboard.backspace')}`,
      [ENTER]: `${t('selfService.keyboard.enter')} ⏎`,
      [SPACE]: t('selfService.keyboard.space'),
      [SHIFT]: capitals ? 'abc' : 'ABC',
    }),
    [capitals, t],
  )

  return (
    // Pressing a key must not move focus out of the field being typed into.
    <div className={`osk-panel osk-${props.kind}`} role="group" aria-label={t('selfService.keyboard.label')} onMouseDown={(event) => event.preventDefault()}>
      <div className="osk-bar">
        <button type="button" className="osk-hide" onClick={props.onHide}>
          {t('selfService.keyboard.hide')}
        </button>
      </div>
      <Keyboard
        keyboardRef={(keyboard: SimpleKeyboard) => {
          instance.current = keyboard
        }}
        theme={`hg-theme-default osk-keys osk-keys-${props.kind}`}
        layout={{ default: [...LAYOUTS[props.kind].default], shift: [...LAYOUTS[props.kind].shift] }}
        layoutName={shifted ? 'shift' : 'default'}
        display={display}
        buttonAttributes={attributes}
        useButtonTag
        // A key acts on its click, once the whole tap is over: Enter can change the page, and a key that acted on
        // pointer down would let the rest of the tap land on whatever took its place.
        useMouseEvents
        disableCaretPositioning
        onKeyPress={(key: string) => {
          if (key === SHIFT) setShifted((value) => !value)
          else props.onKey(key)
        }}
        onChange={() => instance.current?.clearInput()}
      />
    </div>
  )
}
