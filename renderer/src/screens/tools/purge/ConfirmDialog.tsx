import { useCallback, useEffect, useRef } from 'react'
import type { SessionState } from '../../../../../common/staff'
import { useEvent } from '../../../api'

/**
 * A native modal <dialog>: the browser traps focus in it, makes the page behind inert and closes it on Esc
 * (`close` then tells the parent). Focus starts on the safe choice, so a stray Enter cancels rather than erases.
 * Unmounting removes it from the top layer without a `close` event. A modal sits above even the lock screen, so
 * it asks to be closed when the session locks or ends.
 */
export function ConfirmDialog(props: {
  id: string
  title: string
  text: string
  confirm: string
  cancel: string
  onConfirm: () => void
  onCancel: () => void
}) {
  const dialogRef = useRef<HTMLDialogElement>(null)
  const cancelRef = useRef<HTMLButtonElement>(null)
  const { onCancel } = props

  useEffect(() => {
    const dialog = dialogRef.current
    if (!dialog) return
    if (!dialog.open) dialog.showModal()
    cancelRef.current?.focus()
  }, [])

  useEvent(
    'session.changed',
    useCallback(
      (state: SessionState) => {
        if (state.status !== 'active') onCancel()
      },
      [onCancel],
    ),
  )

  return (
    <dialog
      ref={dialogRef}
      className="confirm-dialog"
      aria-labelledby={`${props.id}-title`}
      aria-describedby={`${props.id}-text`}
      onClose={props.onCancel}
    >
      <h2 id={`${props.id}-title`}>{props.title}</h2>
      <p id={`${props.id}-text`}>{props.text}</p>
      <div className="actions">
        <button type="button" ref={cancelRef} onClick={props.onCancel}>
          {props.cancel}
        </button>
        <button type="button" className="primary danger" onClick={props.onConfirm}>
          {props.confirm}
        </button>
      </div>
    </dialog>
  )
}
