import { useCallback, useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { useCall, useEvent } from '../../api'

/** Other desks take this desk's records within a round of the mesh; asking every 5 s follows them closely enough. */
const REFRESH_MS = 5_000

/**
 * Issue 22.1 on the home screen: how many of this desk's records no other desk holds yet ("belum aman"). A record
 * is safe once another desk of the post holds its sealed copy. Nothing is shown where there is no post network.
 */
export function BackupPanel() {
  const { t, i18n } = useTranslation()
  const [answer, reload] = useCall((posko) => posko.backup.status())
  useEffect(() => {
    const timer = setInterval(reload, REFRESH_MS)
    return () => clearInterval(timer)
  }, [reload])
  useEvent('queue.changed', useCallback(() => reload(), [reload]))
  if (answer.status !== 'ready' || !answer.value.backup) return null
  const { notSafe, unsettled, heldForOthers } = answer.value.backup
  const number = new Intl.NumberFormat(i18n.language)
  return (
    <section className="card backup-panel" aria-labelledby="backup-title">
      <h2 id="backup-title">{t('backup.title')}</h2>
      <p data-backup="summary" className={notSafe > 0 ? 'field-error' : undefined}>
        {notSafe > 0 ? t('backup.notSafe', { count: notSafe, n: number.format(notSafe) }) : unsettled > 0 ? t('backup.allSafe') : t('backup.nothingWaiting')}
      </p>
      <dl className="facts">
        <dt>{t('backup.notSafeLabel')}</dt>
        <dd data-backup="not-safe">{number.format(notSafe)}</dd>
        <dt>{t('backup.heldForOthers')}</dt>
        <dd data-backup="held">{number.format(heldForOthers.bundles)}</dd>
      </dl>
    </section>
  )
}
