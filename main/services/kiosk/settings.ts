import type { Handlers } from '../dispatch'
import type { Actor } from '../registration/service'
import type { KioskSettings } from '../settings/service'

export function settingsHandlers(deps: { kioskSettings: KioskSettings; actor: () => Actor }): Pick<Handlers, 'app.info' | 'settings.setLanguage' | 'settings.setMode'> {
  const { kioskSettings, actor } = deps
  return {
    'app.info': () => kioskSettings.appInfo(),
    'settings.setLanguage': ({ language }) => kioskSettings.setLanguage(language),
    'settings.setMode': ({ mode: next }) => kioskSettings.setMode(next, actor().operatorId),
  }
}
