import { useEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import './update.css'

/**
 * "Pasang sekarang?" as a native modal <dialog>: the browser traps focus and makes the page behind inert, and Esc
 * closes it (`close` tells the parent). Focus starts on "Batal", so a stray Enter never restarts the kiosk.
 */
export function InstallDialog(props: { version: string; onConfirm: () => void; onCancel: () => void }) {
  const { t } = useTranslation()
  const dialogRef = useRef<HTMLDialogElement>(null)
  const cancelRef = useRef<HTMLButtonElement>(null)

  useEffect(() => {
    const dialog = dialogRef.current
    if (dialog && !dialog.open) dialog.showModal()
    cancelRef.current?.focus()
  }, [])

  return (
    <dialog ref={dialogRef} className="update-dialog" aria-labelledby="update-dialog-title" aria-describedby="update-dialog-text" onClose={props.onCancel}>
      <h2 id="update-dialog-title">{t('updates.confirm.title', { version: props.version })}</h2>
      <p id="update-dialog-text">{t('updates.confirm.text')}</p>
      <div className="actions">
        <button type="button" ref={cancelRef} onClick={props.onCancel}>
          {t('updates.confirm.cancel')}
        </button>
        <button type="button" className="primary" onClick={props.onConfirm}>
          {t('updates.confirm.install')}
        </button>
      </div>
    </dialog>
  )
}
