import { useTranslation } from 'react-i18next'
import type { AppInfo } from '../../../../common/settings'
import './clock.css'

/**
 * The kiosk's clock, when it is not simply right: years off (receipts would carry a wrong date) or corrected to
 * central's time. Staff see it on every screen until IT sets the clock.
 */
export function ClockNotice(props: { clock: AppInfo['clock'] }) {
  const { t } = useTranslation()
  const { clock } = props
  if (clock.status === 'ok') return null
  if (clock.status === 'implausible') {
    return (
      <p className="clock-notice clock-notice-wrong" role="alert">
        {t('clock.implausible')}
      </p>
    )
  }
  return (
    <p className="clock-notice" role="status">
      {t('clock.corrected', { count: Math.abs(clock.offsetMinutes) })}
    </p>
  )
}
