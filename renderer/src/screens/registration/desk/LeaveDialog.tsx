import { useCallback, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { SessionState } from '../../../../../common/staff'
import type { PoskoErrorShape } from '../../../../../common/result'
import { callPosko, useEvent } from '../../../api'
import { ErrorPanel } from '../../../components/ErrorPanel'
import type { DraftGuard } from './draftGuard'
import { photosOf } from './parkDraft'

/**
 * "Tinggalkan pendaftaran ini?" (issue 19.2): asked before Beranda or any menu item leaves a started registration.
 * A native modal <dialog> (focus trapped, the page behind inert, Esc = stay); focus starts on "Tetap di sini", so a
 * stray Enter loses nothing. "Parkir" seals the draft on the kiosk first and leaves only once it is stored.
 */
export function LeaveDialog(props: { guard: DraftGuard; onLeave: (parked: number | null) => void; onStay: () => void }) {
  const { t } = useTranslation()
  const dialogRef = useRef<HTMLDialogElement>(null)
  const stayRef = useRef<HTMLButtonElement>(null)
  const [parking, setParking] = useState(false)
  const [error, setError] = useState<PoskoErrorShape | null>(null)
  const { onStay } = props

  useEffect(() => {
    const dialog = dialogRef.current
    if (dialog && !dialog.open) dialog.showModal()
    stayRef.current?.focus()
  }, [])

  // A modal sits above even the lock screen: it goes when the session locks or ends (the draft stays, as a lock keeps it).
  useEvent(
    'session.changed',
    useCallback((state: SessionState) => void (state.status !== 'active' && onStay()), [onStay]),
  )

  const park = async () => {
    setParking(true)
    setError(null)
    const draft = props.guard.snapshot()
    const result = await callPosko((posko) => posko.drafts.park({ form: { ...draft.form }, step: draft.step, photos: photosOf(draft.form) }))
    setParking(false)
    if (!result.ok) return setError(result.error)
    props.onLeave(result.value.number)
  }

  return (
    <dialog ref={dialogRef} className="confirm-dialog" aria-labelledby="leave-title" aria-describedby="leave-text" onClose={onStay}>
      <h2 id="leave-title">{t('desk.leave.title')}</h2>
      <p id="leave-text">{t('desk.leave.text')}</p>
      {error && <ErrorPanel error={error} />}
      <div className="actions">
        <button type="button" ref={stayRef} onClick={onStay}>
          {t('desk.leave.stay')}
        </button>
        <button type="button" className="danger" disabled={parking} onClick={() => props.onLeave(null)}>
          {t('desk.leave.discard')}
        </button>
        <button type="button" className="primary" disabled={parking} onClick={() => void park()}>
          {parking ? t('desk.leave.parking') : t('desk.leave.park')}
        </button>
      </div>
    </dialog>
  )
}
