import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { PoskoErrorShape } from '../../../../common/result'
import { callPosko, useCall } from '../../api'
import { reasonKey } from '../../components/job/reasonKey'
import { formatDateTime } from '../../dates'

/** While the check runs, ask again this often (it takes seconds at 200,000 records). */
const CHECKING_MS = 3_000

const REASONS = { other_folder: 'backup.store.other_folder' } as const

/**
 * Issue 22.5: one line when the store is not known to be sound — damaged (restart to move it aside), moved aside
 * (where to), or not checked. Nothing at all while checking or when the check found nothing. The moved-aside line
 * stays on every start until a supervisor or IT hides it once read (`canDismiss`: the access table says who; main
 * checks again and audits it).
 */
export function StoreHealthLine(props: { canDismiss?: boolean }) {
  const { t, i18n } = useTranslation()
  const [answer, reload, setAnswer] = useCall((posko) => posko.store.health())
  const [busy, setBusy] = useState(false)
  const [refused, setRefused] = useState<PoskoErrorShape | null>(null)
  const checking = answer.status === 'ready' && answer.value.state === 'checking'
  useEffect(() => {
    if (!checking) return
    const timer = setTimeout(reload, CHECKING_MS)
    return () => clearTimeout(timer)
  }, [checking, reload, answer])
  if (answer.status !== 'ready') return null
  const health = answer.value
  if (health.state === 'ok' || health.state === 'checking') return null
  const movedAside = health.state === 'moved_aside'
  const text = movedAside
    ? t('backup.store.moved_aside', { folder: health.folder ?? '', at: health.at ? formatDateTime(health.at, i18n.language) : '' })
    : t(`backup.store.${health.state}`)
  const dismiss = async () => {
    setBusy(true)
    setRefused(null)
    const result = await callPosko((posko) => posko.store.dismissMovedAside({ folder: health.folder ?? '' }))
    setBusy(false)
    if (!result.ok) {
      setRefused(result.error)
      // The line may have changed under it (another notice, or hidden at the same time): show what main says now.
      return reload()
    }
    setAnswer(result.value)
  }
  return (
    <div className="error-panel store-health" data-store-health={health.state}>
      <p role="status">{text}</p>
      {movedAside && props.canDismiss && health.folder && (
        <div className="actions actions-start">
          <button type="button" disabled={busy} onClick={() => void dismiss()}>
            {t(busy ? 'backup.store.dismissing' : 'backup.store.dismiss')}
          </button>
        </div>
      )}
      {refused && (
        <p role="alert" className="field-error">
          {t(reasonKey(refused, REASONS))}
        </p>
      )}
    </div>
  )
}
