import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { AppInfo, KioskMode } from '../../../../../common/settings'
import type { PoskoErrorShape } from '../../../../../common/result'
import { callPosko } from '../../../api'
import { ErrorPanel } from '../../../components/ErrorPanel'
import { ConfirmDialog } from '../../tools/purge/ConfirmDialog'

type Change = { status: 'idle' } | { status: 'saving' } | { status: 'done'; mode: KioskMode } | { status: 'failed'; error: PoskoErrorShape }

/**
 * A supervisor turns the desk into an applicants' kiosk or back (`settings.setMode`, audited by the kiosk). The
 * change applies at once to what may be called; the screen follows `settings.changed`. The staff UI stays until
 * the supervisor signs out, so the confirmation says what happens then and how staff get back in.
 */
export function KioskModeCard(props: { info: AppInfo }) {
  const { t } = useTranslation()
  const { mode } = props.info
  const other: KioskMode = mode === 'assisted' ? 'self-service' : 'assisted'
  const [confirming, setConfirming] = useState(false)
  const [change, setChange] = useState<Change>({ status: 'idle' })

  const apply = async () => {
    setConfirming(false)
    setChange({ status: 'saving' })
    const result = await callPosko((posko) => posko.settings.setMode({ mode: other }))
    setChange(result.ok ? { status: 'done', mode: result.value.mode } : { status: 'failed', error: result.error })
  }

  return (
    <section className="card" aria-labelledby="kiosk-mode-title">
      <h2 id="kiosk-mode-title">{t('selfService.mode.title')}</h2>
      <p>{t('selfService.mode.current', { mode: t(`mode.${mode}`) })}</p>
      <p className="muted">{mode === 'assisted' ? t('selfService.mode.assisted') : t('selfService.mode.selfService')}</p>
      {change.status === 'done' && (
        <p className="note" role="status">
          {t('selfService.mode.changed', { mode: t(`mode.${change.mode}`) })}
        </p>
      )}
      {change.status === 'failed' && <ErrorPanel error={change.error} />}
      <div className="actions actions-start">
        <button type="button" disabled={change.status === 'saving'} onClick={() => setConfirming(true)}>
          {t('selfService.mode.switchTo', { mode: t(`mode.${other}`) })}
        </button>
      </div>
      {confirming && (
        <ConfirmDialog
          id="kiosk-mode-confirm"
          title={t('selfService.mode.confirmTitle')}
          text={other === 'self-service' ? t('selfService.mode.confirmSelfService') : t('selfService.mode.confirmAssisted')}
          confirm={t('selfService.mode.confirm')}
          cancel={t('selfService.mode.cancel')}
          onConfirm={() => void apply()}
          onCancel={() => setConfirming(false)}
        />
      )}
    </section>
  )
}
