import { useEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import './idle.css'

/**
 * "Masih di sini?": opaque over the whole screen (a passer-by must not read the form left open), with the seconds
 * left. Any tap on it answers yes; focus goes back where it was, so typing carries on.
 */
export function IdleDialog(props: { secondsLeft: number; onStay: () => void }) {
  const { t } = useTranslation()
  const stay = useRef<HTMLButtonElement>(null)
  useEffect(() => {
    const previous = document.activeElement
    stay.current?.focus()
    return () => {
      if (previous instanceof HTMLElement && previous.isConnected) previous.focus()
    }
  }, [])
  return (
    // The button's own click bubbles here too; answering twice is harmless.
    <div className="idle-overlay" onClick={props.onStay}>
      <section className="idle-dialog" role="alertdialog" aria-modal="true" aria-labelledby="idle-title" aria-describedby="idle-text">
        <h1 id="idle-title">{t('selfService.idle.title')}</h1>
        <p id="idle-text">{t('selfService.idle.text')}</p>
        <p className="idle-countdown" role="timer">
          {t('selfService.idle.countdown', { count: props.secondsLeft })}
        </p>
        <button ref={stay} type="button" className="primary idle-stay" onClick={props.onStay}>
          {t('selfService.idle.stay')}
        </button>
      </section>
    </div>
  )
}
