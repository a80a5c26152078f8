import type { Logger } from '../platform/logger'
import { createPeerList } from '../network/peers'
import { createPostLogSync } from '../network/post-log'
import type { PostTrust } from '../network/trust'
import { pairedKioskId } from '../network/trust'
import type { Vault } from '../security/vault'
import type { Db } from '../store/db'
import { createPostLogRepository } from '../store/post-log'
import type { SettingsRepository } from '../store/settings'

/** The replicated post log (DESIGN §11) and the peer list it pulls from, kept in step with the post's trust. */
export function assemblePostLog(deps: {
  db: Db
  postTrust: PostTrust
  vault: Vault
  postId: string
  kioskId: () => string | null
  settings: SettingsRepository
  logger: Logger
  now: () => Date
}) {
  const { db, postTrust, vault, settings, logger, now } = deps
  const peerList = createPeerList({ logger, now })
  const postLogRepo = createPostLogRepository(db)
  const postLog = createPostLogSync({
    repo: postLogRepo,
    trust: postTrust,
    vault,
    postId: deps.postId,
    kioskId: deps.kioskId,
    peers: peerList,
    logger,
    now,
    settings,
    transaction: (fn) => db.transaction(fn)(),
  })
  // Records made before the post key came get their post NIK HMAC (and their 'nik' events) once it is here.
  const fillPostNik = () => {
    const step = () => {
      try {
        if (postLog.fillPostNik() > 0) setImmediate(step)
      } catch (error) {
        // The kiosk closed meanwhile (its database with it): the next start carries on.
        logger.debug('network: filling post NIK HMACs stopped', { error: (error as Error).message })
      }
    }
    step()
  }
  postTrust.onRosterChange(fillPostNik)
  // Central's roster replaces the pairings: a paired desk's log, pulled under its fingerprint id, is filed under
  // the id central gave it, so its records are not counted twice (nor read as NIKs registered twice); what its log
  // sent as placeholders goes along, so it is still asked again after an update.
  postTrust.onRosterChange(() => {
    if (!postTrust.fromCentral()) return
    for (const kiosk of postTrust.roster()?.kiosks ?? []) {
      const paired = postTrust.pairings().find((d) => d.certSha256 === kiosk.certSha256)
      if (!paired || pairedKioskId(paired.certSha256) === kiosk.kioskId) continue
      try {
        const done = postLog.renameLog(pairedKioskId(paired.certSha256), kiosk.kioskId)
        if (done !== 'none') logger.info('network: a paired desk\'s log is now filed under central\'s id', { kioskId: kiosk.kioskId, done })
      } catch (error) {
        logger.warn('network: could not file a paired desk\'s log under central\'s id', { error: (error as Error).message })
      }
    }
  })
  // A rekey left half done (the kiosk closed) carries on at the next start.
  setImmediate(fillPostNik)
  return { peerList, postLogRepo, postLog, fillPostNik }
}
