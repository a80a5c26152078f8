import { mkdirSync } from 'node:fs'
import { basename, join } from 'node:path'
import type { Handlers } from '../dispatch'
import type { Logger } from '../platform/logger'
import type { Actor } from '../registration/service'
import { createFileKeyProvider } from '../security/keys'
import { openVaultKey } from '../security/key-protection'
import { createVault } from '../security/vault'
import type { AuditLog } from '../store/audit'
import { auditRowView, auditVerdictView } from '../store/audit'
import { openDatabase } from '../store/db'
import { checkInBackground, markDamaged, openCheckedDatabase } from '../store/integrity'
import type { RegistrationsRepository } from '../store/registrations'
import { createRegistrationsRepository } from '../store/registrations'
import { createSettingsRepository } from '../store/settings'
import type { StoreHealthKeeper } from '../store/store-health'
import { createStoreHealth } from '../store/store-health'
import type { KioskOptions } from './options'

/** The settings row holding the vault key's check value (security/key-protection.ts). */
const KEY_CHECK_SETTING = 'vaultKeyCheck'

/**
 * The database, checked at start, and the vault key that opens its records. `opened` hears of the connection at once,
 * so a start that trips over a damaged page later can close it before moving the file aside.
 */
export function openKioskStore(
  options: KioskOptions,
  deps: { opened: Array<{ close(): unknown }>; localNow: () => Date; now: () => Date; logger: Logger },
) {
  const { config } = options
  const { localNow, now, logger } = deps
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 })
  const dbFile = join(options.dataDir, 'posko.db')
  // Integrity at start (issue 22.5): a database marked damaged, or one that cannot be opened, is moved aside intact.
  const checkedOpen = openCheckedDatabase(dbFile, { open: (file) => openDatabase(file, { nativeBinding: options.nativeBinding }), now: localNow, logger })
  const { db } = checkedOpen
  deps.opened.push(db)
  const settings = createSettingsRepository(db)
  // The fresh store remembers that its predecessor was moved aside, so the line stays until staff dismiss it.
  const storeHealth = createStoreHealth({ settings, now: localNow, transaction: (fn) => db.transaction(fn)() })
  if (checkedOpen.movedAside) storeHealth.movedAside(basename(checkedOpen.movedAside.folder))
  // quick_check runs off main's loop (a second at 200,000 records: BENCHMARKS.md, integrity); damage found now is
  // marked for the next start, which moves the file aside before opening it.
  const integrityChecked = checkInBackground(dbFile, { workerScript: options.integrity?.workerScript, nativeBinding: options.nativeBinding }).then((verdict) => {
    if (verdict === null) {
      logger.warn('store: the integrity check could not run')
      storeHealth.checked({ state: 'unchecked' })
    } else if (!verdict.ok) {
      const at = localNow()
      logger.error('store: quick_check found the database damaged; it is moved aside at the next start', { problems: verdict.problems.length })
      try {
        markDamaged(dbFile, verdict, at)
      } catch (error) {
        logger.error('store: could not mark the database damaged', { error: (error as Error).message })
      }
      storeHealth.checked({ state: 'damaged', at: at.toISOString() })
    } else storeHealth.checked({ state: 'ok' })
  })
  const registrationsRepo = createRegistrationsRepository(db)
  const keyProvider = options.keyProvider ?? createFileKeyProvider(options.dataDir)
  let masterKey: Buffer
  try {
    masterKey = openVaultKey({
      provider: keyProvider,
      storedCheck: settings.get(KEY_CHECK_SETTING),
      sample: registrationsRepo.anySealed(),
      saveCheck: (value) => settings.set(KEY_CHECK_SETTING, value, now()),
    })
  } catch (error) {
    db.close()
    throw error
  }
  const vault = createVault(masterKey)
  // A kiosk whose key sits in a plain file registers nobody unless IT allowed it (config.allowUnprotectedKey).
  const keyProtection = () => ({
    kind: keyProvider.kind,
    registering: keyProvider.kind !== 'none' || !options.requireKeyProtection || config.allowUnprotectedKey,
  })
  if (!keyProtection().registering) logger.error('vault key is not protected (no keyring, no TPM): registering is off until IT allows it in config')
  return { db, dbFile, settings, storeHealth, integrityChecked, registrationsRepo, masterKey, vault, keyProtection }
}

export function storeHandlers(deps: {
  storeHealth: StoreHealthKeeper
  audit: AuditLog
  registrationsRepo: RegistrationsRepository
  actor: () => Actor
}): Pick<Handlers, 'store.health' | 'store.dismissMovedAside' | 'audit.verify' | 'audit.list'> {
  const { storeHealth, audit, registrationsRepo, actor } = deps
  return {
    'store.health': () => storeHealth.health(),
    // Once read: the row is marked (not deleted) and the audit row written with it; the folder stays as it is.
    'store.dismissMovedAside': ({ folder }) =>
      storeHealth.dismissMovedAside(folder, actor().operatorId, (notice) =>
        audit.append({ actor: actor().operatorId, action: 'store_notice', details: { change: 'dismiss', folder: notice.folder, moved_at: notice.at } }),
      ),
    'audit.verify': () => auditVerdictView(audit.verify()),
    'audit.list': (filter) => ({ rows: audit.list(filter).map((row) => auditRowView(row, (id) => registrationsRepo.byId(id)?.receipt_no ?? null)) }),
  }
}
