import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { AppInfo, Language } from '../../common/contract'
import { Language as LanguageSchema } from '../../common/contract'
import type { KioskConfig } from '../../common/config'
import type { CallContext, Dispatch, Handlers } from './dispatch'
import { createDispatcher } from './dispatch'
import type { EventBus } from './events'
import { createEventBus } from './events'
import type { Logger } from './logger'
import { toQueueStatus } from './queue/status'
import type { Db } from './store/db'
import { openDatabase } from './store/db'
import { createSettingsRepository } from './store/settings'

export interface KioskOptions {
  dataDir: string
  config: KioskConfig
  version: string
  logger: Logger
  /** Injected so tests can control time. */
  now?: () => Date
  nativeBinding?: string
}

export interface Kiosk {
  readonly dispatch: Dispatch
  readonly events: EventBus
  readonly db: Db
  call: (channel: string, input?: unknown, ctx?: CallContext) => ReturnType<Dispatch>
  close(): void
}

/** The composition root: wires the store and services into the handlers that implement the contract. */
export function createKiosk(options: KioskOptions): Kiosk {
  const { config, logger } = options
  const now = options.now ?? (() => new Date())
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 })
  const db = openDatabase(join(options.dataDir, 'posko.db'), { nativeBinding: options.nativeBinding })
  const settings = createSettingsRepository(db)
  const events = createEventBus()

  const language = (): Language => {
    const stored = LanguageSchema.safeParse(settings.get('language'))
    return stored.success ? stored.data : config.language
  }

  const appInfo = (): AppInfo => ({
    version: options.version,
    postId: config.postId,
    postName: config.postName,
    mode: config.mode,
    language: language(),
  })

  const handlers: Handlers = {
    'app.info': () => appInfo(),
    'settings.setLanguage': ({ language: next }) => {
      settings.set('language', next, now())
      const info = appInfo()
      events.emit('settings.changed', info)
      logger.info('language changed', { language: next })
      return info
    },
    // No records table yet: the registration store brings real rows; the shape and zero-filling are final.
    'queue.status': () => toQueueStatus([], null),
  }

  const dispatch = createDispatcher(handlers, logger)
  logger.info('kiosk started', { postId: config.postId, mode: config.mode, version: options.version })

  return {
    dispatch,
    events,
    db,
    call: (channel, input, ctx = { transport: 'test' }) => dispatch(channel, input, ctx),
    close: () => db.close(),
  }
}
