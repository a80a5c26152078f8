import { useTranslation } from 'react-i18next'
import type { AppInfo } from '../../../../common/settings'
import { KioskMode } from '../../../../common/settings'
import type { Diagnostics } from '../../../../common/operations'
import { formatBytes } from '../../format'

/** Which build runs where: the first thing IT asks for, and the disk that decides how long a post can stay offline. */
export function KioskCard(props: { report: Diagnostics; info: AppInfo }) {
  const { t, i18n } = useTranslation()
  const { versions, disk, keyProtection } = props.report
  // Outside Electron (browser mode, the test harness) there is no Electron or Chromium version of the kiosk's own.
  const none = t('diagnostics.kiosk.none')
  // The mode the kiosk runs in (a supervisor may have switched it), not only config.json's default below.
  const configMode = KioskMode.safeParse(props.report.config.mode).data
  return (
    <section className="card diag-card" aria-labelledby="diag-kiosk">
      <h2 id="diag-kiosk">{t('diagnostics.kiosk.title')}</h2>
      <dl className="facts diag-facts">
        <dt>{t('diagnostics.kiosk.post')}</dt>
        <dd>
          {props.info.postName} <span className="mono">({props.info.postId})</span>
        </dd>
        <dt>{t('diagnostics.kiosk.app')}</dt>
        <dd className="mono" data-diag="app-version">
          {versions.app}
        </dd>
        <dt>{t('diagnostics.kiosk.electron')}</dt>
        <dd className={versions.electron ? 'mono' : undefined}>{versions.electron ?? none}</dd>
        <dt>{t('diagnostics.kiosk.chrome')}</dt>
        <dd className={versions.chrome ? 'mono' : undefined}>{versions.chrome ?? none}</dd>
        <dt>{t('diagnostics.kiosk.node')}</dt>
        <dd className="mono">{versions.node}</dd>
        <dt>{t('diagnostics.kiosk.os')}</dt>
        <dd className="mono">
          {versions.os} ({versions.arch})
        </dd>
        <dt>{t('diagnostics.kiosk.disk')}</dt>
        <dd data-diag="disk">
          {disk.freeBytes === null
            ? t('diagnostics.kiosk.diskUnknown')
            : disk.totalBytes === null
              ? t('diagnostics.kiosk.diskFree', { free: formatBytes(disk.freeBytes, i18n.language) })
              : t('diagnostics.kiosk.diskFreeOf', { free: formatBytes(disk.freeBytes, i18n.language), total: formatBytes(disk.totalBytes, i18n.language) })}
        </dd>
        <dt>{t('diagnostics.kiosk.mode')}</dt>
        <dd data-diag="mode">
          {t(`mode.${props.info.mode}`)}
          {configMode && configMode !== props.info.mode && ` ${t('diagnostics.kiosk.modeOverride', { config: t(`mode.${configMode}`) })}`}
        </dd>
        <dt>{t('diagnostics.kiosk.keyProtection')}</dt>
        <dd data-diag="key-protection" className={keyProtection.registering ? undefined : 'field-error'}>
          {t(`diagnostics.kiosk.key.${keyProtection.kind}`)}
          {!keyProtection.registering && ` ${t('diagnostics.kiosk.key.notRegistering')}`}
        </dd>
        <dt>{t('diagnostics.kiosk.dataDir')}</dt>
        <dd className="mono record-id">{disk.path}</dd>
      </dl>
    </section>
  )
}
