import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { StickStatus } from '../../../../common/backup'
import type { PoskoErrorShape, Result } from '../../../../common/result'
import { callPosko, useCall } from '../../api'
import { DriveOptions, TYPED, useDriveChoice } from '../../components/drives/DriveOptions'
import { reasonKey } from '../../components/job/reasonKey'
import { stickSentence } from '../home/StickPanel'

const REASONS = {
  not_a_drive: 'backup.stick.reason.not_a_drive',
  not_writable: 'backup.stick.reason.not_writable',
  disk_full: 'backup.stick.reason.disk_full',
  not_enrolled: 'backup.stick.reason.not_enrolled',
} as const

/**
 * The backup stick (issue 22.3): what it is doing now, a USB drive to designate (tapped from the drives the kiosk
 * sees: a folder typed by hand is no stick), and forgetting it. Designating another stick writes everything there.
 */
export function StickCard() {
  const { t, i18n } = useTranslation()
  const [answer, , setAnswer] = useCall((posko) => posko.backup.stick())
  const [chosen, setChosen] = useState('')
  const [busy, setBusy] = useState(false)
  const [said, setSaid] = useState<string | null>(null)
  const [refused, setRefused] = useState<PoskoErrorShape | null>(null)
  const picker = useDriveChoice('write', (choice) => {
    setChosen(choice === TYPED ? '' : choice)
    setRefused(null)
  })
  const stick = answer.status === 'ready' ? answer.value.stick : null
  const number = new Intl.NumberFormat(i18n.language)

  const act = async (run: () => Promise<Result<StickStatus>>, done: (s: StickStatus) => string) => {
    setBusy(true)
    setSaid(null)
    setRefused(null)
    const result = await run()
    setBusy(false)
    if (!result.ok) return setRefused(result.error)
    setAnswer({ stick: result.value })
    setSaid(done(result.value))
  }

  return (
    <section className="card tool-card" aria-labelledby="stick-card-title" aria-busy={busy}>
      <h2 id="stick-card-title">{t('backup.stick.title')}</h2>
      <p>{t('backup.stick.intro')}</p>
      {stick && (
        <>
          <p data-stick="summary" className={['missing', 'full', 'write_protected', 'failed'].includes(stick.state) ? 'field-error' : undefined}>
            {stickSentence(t, stick, i18n.language)}
          </p>
          {stick.state !== 'not_designated' && (
            <dl className="facts tool-facts">
              <dt>{t('backup.stick.onStick')}</dt>
              <dd data-stick="on-stick">{number.format(stick.onStick)}</dd>
              <dt>{t('backup.stick.toWrite')}</dt>
              <dd data-stick="to-write">{number.format(stick.toWrite)}</dd>
            </dl>
          )}
        </>
      )}
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault()
          if (busy) return
          if (!chosen) return setRefused({ code: 'invalid_input', message: 'no drive', details: { reason: 'not_a_drive' } })
          void act(
            () => callPosko((posko) => posko.backup.designateStick({ directory: chosen })),
            (s) => t('backup.stick.designated', { label: s.label ?? '', interpolation: { escapeValue: false } }),
          )
        }}
      >
        <DriveOptions
          id="stick-drive"
          legend={t('backup.stick.choose')}
          drives={picker.drives}
          onRefresh={picker.lookAgain}
          choice={picker.choice}
          onChoose={picker.choose}
          purpose="write"
        />
        <div className="actions actions-start">
          <button type="submit" className="primary" disabled={busy}>
            {t(busy ? 'backup.stick.designating' : 'backup.stick.designate')}
          </button>
          {stick && stick.state !== 'not_designated' && (
            <button type="button" disabled={busy} onClick={() => void act(() => callPosko((posko) => posko.backup.forgetStick()), () => t('backup.stick.forgotten'))}>
              {t('backup.stick.forget')}
            </button>
          )}
        </div>
      </form>
      <p className={said ? 'verdict verdict-ok' : 'status-idle'} role="status">
        {said}
      </p>
      {refused && (
        <div className="error-panel" role="alert">
          <p>{t(reasonKey(refused, REASONS))}</p>
        </div>
      )}
    </section>
  )
}
