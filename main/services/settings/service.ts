import type { KioskConfig } from '../../../common/config'
import type { AppInfo, KioskMode, Language } from '../../../common/settings'
import { KioskMode as KioskModeSchema, Language as LanguageSchema, postRegionOf } from '../../../common/settings'
import type { Logger } from '../platform/logger'
import type { AuditLog } from '../store/audit'
import type { SettingsRepository } from '../store/settings'

export interface KioskSettingsDeps {
  config: KioskConfig
  version: string
  repo: SettingsRepository
  audit: Pick<AuditLog, 'append'>
  logger: Logger
  now: () => Date
  /** The kiosk clock's status (platform/trusted-time.ts). */
  clock: () => AppInfo['clock']
  /** The KTP reader is installed (main/services/ktp): the renderer offers the scan step. */
  ktpReader: boolean
  /** After a change: the renderer re-reads the app's info (language, mode). */
  onChange: (info: AppInfo) => void
}

/**
 * The settings staff change at run time (language, mode) over IT's defaults in config.json, and what the renderer
 * is told about the kiosk it runs on. A stored value that no longer parses (an older version's) falls back to IT's.
 */
export function createKioskSettings(deps: KioskSettingsDeps) {
  const { config, repo } = deps

  const mode = (): KioskMode => {
    const stored = KioskModeSchema.safeParse(repo.get('mode'))
    return stored.success ? stored.data : config.mode
  }
  const language = (): Language => {
    const stored = LanguageSchema.safeParse(repo.get('language'))
    return stored.success ? stored.data : config.language
  }
  const appInfo = (): AppInfo => ({
    version: deps.version,
    postId: config.postId,
    postName: config.postName,
    postRegion: postRegionOf(config.postId),
    mode: mode(),
    language: language(),
    cameraSource: config.camera.source,
    ktpReader: deps.ktpReader,
    requirePhotos: config.requirePhotos,
    receiptPaper: config.receiptPaper,
    programmeTitle: config.programmeTitle,
    idle: { warnSeconds: config.idle.warnSeconds, resetSeconds: config.idle.resetSeconds },
    retentionDays: config.retentionDays,
    clock: deps.clock(),
  })
  const changed = () => {
    const info = appInfo()
    deps.onChange(info)
    return info
  }

  return {
    mode,
    appInfo,
    /** The app's info changed for a reason of its own (the clock): tell the renderer. */
    announce: () => void changed(),
    setLanguage(next: Language): AppInfo {
      repo.set('language', next, deps.now())
      deps.logger.info('language changed', { language: next })
      return changed()
    },
    /** A supervisor switches the kiosk between the staff desk and self-service; audited. */
    setMode(next: KioskMode, actor: string | null): AppInfo {
      repo.set('mode', next, deps.now())
      deps.audit.append({ actor, action: 'settings_change', details: { mode: next } })
      return changed()
    },
  }
}

export type KioskSettings = ReturnType<typeof createKioskSettings>
