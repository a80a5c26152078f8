import { useTranslation } from 'react-i18next'
import type { UpdateState } from '../../../../common/operations'
import { updateErrorKey } from '../../components/update/words'
import { formatInstant } from './format'

/**
 * The updater for IT: where it stands, why it is off (a developer's run, no feed, an http feed), the install
 * policy's latest answer and the last failure with electron-updater's code (docs/updates.md lists them).
 */
export function UpdateCard(props: { update: UpdateState | null }) {
  const { t, i18n } = useTranslation()
  const { update } = props
  return (
    <section className="card diag-card" aria-labelledby="diag-update">
      <h2 id="diag-update">{t('diagnostics.update.title')}</h2>
      {update === null ? (
        <p>{t('diagnostics.update.unknown')}</p>
      ) : (
        <dl className="facts diag-facts">
          <dt>{t('diagnostics.update.status')}</dt>
          <dd data-diag="update-status">
            {update.status === 'disabled' && update.disabledReason
              ? t('diagnostics.update.disabledBecause', { reason: t(`updates.disabled.${update.disabledReason}`) })
              : t(`updates.status.${update.status}`, { percent: update.progress ?? 0 })}
          </dd>
          <dt>{t('diagnostics.update.current')}</dt>
          <dd className="mono">{update.currentVersion}</dd>
          <dt>{t('diagnostics.update.available')}</dt>
          <dd className="mono">{update.availableVersion ?? t('diagnostics.none')}</dd>
          <dt>{t('diagnostics.update.channel')}</dt>
          <dd>{t(`updates.channel.${update.channel}`)}</dd>
          <dt>{t('diagnostics.update.lastCheck')}</dt>
          <dd>{update.lastCheckAt ? formatInstant(update.lastCheckAt, i18n.language) : t('diagnostics.update.neverChecked')}</dd>
          <dt>{t('diagnostics.update.decision')}</dt>
          <dd>{update.decision ? t(`updates.reason.${update.decision.reason}`) : t('diagnostics.none')}</dd>
          <dt>{t('diagnostics.update.lastError')}</dt>
          <dd>
            {update.lastError ? (
              <>
                {t(updateErrorKey(update.lastError.code))}{' '}
                <span className="mono record-id">
                  {update.lastError.code} · {formatInstant(update.lastError.at, i18n.language)}
                </span>
                {/* electron-updater's own words, in English: for IT to search, not for the post. */}
                <span className="diag-raw mono record-id" lang="en">
                  {update.lastError.message}
                </span>
              </>
            ) : (
              t('diagnostics.none')
            )}
          </dd>
        </dl>
      )}
    </section>
  )
}
