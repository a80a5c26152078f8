import type { TFunction } from 'i18next'
import { useCallback, useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import type { StickStatus } from '../../../../common/backup'
import { useCall, useEvent } from '../../api'
import { formatDateTime } from '../../dates'

/** The kiosk looks at the stick every 10 s; asking every 5 s shows a pulled stick within seconds. */
const REFRESH_MS = 5_000

/** States staff must act on: said as an alert. */
const PROBLEMS: ReadonlySet<StickStatus['state']> = new Set(['missing', 'full', 'write_protected', 'failed'])

/** The stick's state in one sentence (Indonesian first), with its label and counts. */
export function stickSentence(t: TFunction, stick: StickStatus, language: string): string {
  const number = new Intl.NumberFormat(language)
  return t(`backup.stick.state.${stick.state}`, { label: stick.label ?? '', toWrite: number.format(stick.toWrite), error: stick.error ?? '', interpolation: { escapeValue: false } })
}

/**
 * Issue 22.3 on the home screen, beside the peer backup panel: the designated backup stick's state — plugged in and
 * holding everything, writing, or missing, full, write-protected (said as an alert, with what to do). Shown once a
 * stick is designated; to a supervisor also before, with the way to designate one.
 */
export function StickPanel(props: { onManage?: (() => void) | undefined }) {
  const { t, i18n } = useTranslation()
  const [answer, reload] = useCall((posko) => posko.backup.stick())
  useEffect(() => {
    const timer = setInterval(reload, REFRESH_MS)
    return () => clearInterval(timer)
  }, [reload])
  useEvent('queue.changed', useCallback(() => reload(), [reload]))
  if (answer.status !== 'ready' || !answer.value.stick) return null
  const stick = answer.value.stick
  if (stick.state === 'not_designated' && !props.onManage) return null
  const number = new Intl.NumberFormat(i18n.language)
  const problem = PROBLEMS.has(stick.state)
  return (
    <section className="card stick-panel" aria-labelledby="stick-title" data-stick={stick.state}>
      <h2 id="stick-title">{t('backup.stick.title')}</h2>
      <p data-stick="summary" role={problem ? 'alert' : 'status'} className={problem ? 'field-error' : undefined}>
        {stickSentence(t, stick, i18n.language)}
      </p>
      {stick.state !== 'not_designated' && (
        <dl className="facts">
          <dt>{t('backup.stick.onStick')}</dt>
          <dd data-stick="on-stick">{number.format(stick.onStick)}</dd>
          <dt>{t('backup.stick.toWrite')}</dt>
          <dd data-stick="to-write">{number.format(stick.toWrite)}</dd>
          <dt>{t('backup.stick.lastWritten')}</dt>
          <dd>{stick.lastWrittenAt ? formatDateTime(stick.lastWrittenAt, i18n.language) : t('backup.stick.never')}</dd>
        </dl>
      )}
      {props.onManage && (
        <div className="actions actions-start">
          <button type="button" onClick={props.onManage}>
            {t('backup.stick.manage')}
          </button>
        </div>
      )}
    </section>
  )
}
