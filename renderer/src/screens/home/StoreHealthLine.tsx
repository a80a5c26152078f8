import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { useCall } from '../../api'
import { formatDateTime } from '../../dates'

/** While the check runs, ask again this often (it takes seconds at 200,000 records). */
const CHECKING_MS = 3_000

/**
 * Issue 22.5: one line when the store is not known to be sound — damaged (restart to move it aside), moved aside
 * at this start (where to), or not checked. Nothing at all while checking or when the check found nothing.
 */
export function StoreHealthLine() {
  const { t, i18n } = useTranslation()
  const [answer, reload] = useCall((posko) => posko.store.health())
  const checking = answer.status === 'ready' && answer.value.state === 'checking'
  useEffect(() => {
    if (!checking) return
    const timer = setTimeout(reload, CHECKING_MS)
    return () => clearTimeout(timer)
  }, [checking, reload, answer])
  if (answer.status !== 'ready') return null
  const health = answer.value
  if (health.state === 'ok' || health.state === 'checking') return null
  const text =
    health.state === 'moved_aside'
      ? t('backup.store.moved_aside', { folder: health.folder ?? '', at: health.at ? formatDateTime(health.at, i18n.language) : '' })
      : t(`backup.store.${health.state}`)
  return (
    <p className="error-panel store-health" role="status" data-store-health={health.state}>
      {text}
    </p>
  )
}
