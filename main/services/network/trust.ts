import type { KeyObject } from 'node:crypto'
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto'
import { z } from 'zod'
import type { Logger } from '../platform/logger'
import type { PostRoster, PostTrustLink, RosterKiosk, TrustRegistration } from '../platform/post-roster'
import { CertSha256, POST_KEY_BOX_CONTEXT, RosterKiosk as RosterKioskSchema } from '../platform/post-roster'
import { PostId } from '../platform/identity'
import { publicKeyToBase64 } from '../security/public-keys'
import { openSealedBox } from '../security/sealed-box'
import { certificateSha256, createTlsIdentity } from '../security/tls-identity'
import type { Vault } from '../security/vault'
import type { SettingsRepository } from '../store/settings'
import { readJsonSetting } from '../store/settings'

/**
 * What the post network trusts, kept in two settings rows:
 * - `network-identity`: this kiosk's TLS certificate (public) and its P-256 key, and its X25519 box key (the post key
 *   is sealed to it), both private keys sealed by the vault like the enrolment's signing key;
 * - `post-roster`: central's latest roster for the post and the post key, re-sealed by the vault once opened.
 * A roster older than the one held (a replayed answer) or for another post is ignored and logged.
 */
const IDENTITY_KEY = 'network-identity'
const ROSTER_KEY = 'post-roster'
const TLS_KEY_AAD = 'network:tls-key'
const BOX_KEY_AAD = 'network:box-key'
const POST_KEY_AAD = 'network:post-key'
const PAIRINGS_KEY = 'post-pairings'
const PAIRING_KEY_AAD = 'network:pairing-post-key'

const StoredIdentity = z.strictObject({
  v: z.literal(1),
  certificate: z.string(),
  certSha256: CertSha256,
  boxPublicKey: z.string(),
  sealedTlsKey: z.string(),
  sealedBoxKey: z.string(),
  createdAt: z.string(),
})
type StoredIdentity = z.infer<typeof StoredIdentity>

const StoredRoster = z.strictObject({
  v: z.literal(1),
  postId: PostId,
  issuedAt: z.string(),
  receivedAt: z.string(),
  kiosks: z.array(RosterKioskSchema),
  sealedPostKey: z.string().nullable(),
})

/**
 * Desks paired by a supervisor's code (pairing.ts) while this kiosk never reached central, and the post key they
 * share: a settings row like the roster (a list of a few fingerprints, read whole, written whole; no table needed).
 */
const PairedDesk = z.strictObject({
  certSha256: CertSha256,
  name: z.string().min(1).max(40),
  pairedAt: z.string(),
  operatorId: z.string().nullable(),
})
export type PairedDesk = z.infer<typeof PairedDesk>
const StoredPairings = z.strictObject({ v: z.literal(1), desks: z.array(PairedDesk).max(256), sealedPostKey: z.string() })

/** A paired desk's kiosk id: its certificate's fingerprint, cut to the roster's id length (both sides derive it). */
export const pairedKioskId = (certSha256: string) => certSha256.slice(0, 32)
/** How staff see a paired desk until central names it: "Meja" and the start of its fingerprint. */
export const pairedDeskName = (certSha256: string) => `Meja ${certSha256.slice(0, 4).toUpperCase()}`

export interface NetworkIdentity {
  certificate: Buffer
  certSha256: string
  privateKey: KeyObject
}

export interface KnownRoster {
  postId: string
  issuedAt: string
  receivedAt: string
  kiosks: RosterKiosk[]
}

export interface PostTrust extends PostTrustLink {
  /** This kiosk's TLS identity (made on first use). */
  identity(): Promise<NetworkIdentity>
  roster(): KnownRoster | null
  /** The post key for the post-wide NIK HMAC, once central sent it; null before. */
  postKey(): Buffer | null
  /** Called after a roster was taken (the channel re-checks its peers: a revocation takes effect at once). */
  onRosterChange(listener: (roster: KnownRoster) => void): () => void
  /** True once central's roster is held: pairing is over, central's roster wins (paired desks are ignored). */
  fromCentral(): boolean
  /** This kiosk's id for the post network before enrolment: its own certificate's, as paired desks know it. */
  localKioskId(): string | null
  /** Desks paired by code (kept after central's roster came, for the record, but no longer trusted). */
  pairings(): PairedDesk[]
  /** The post key paired desks share; null before the first pairing. */
  pairingPostKey(): Buffer | null
  /** Records a desk whose code both supervisors confirmed, with the post key agreed (32 bytes). */
  addPairing(desk: PairedDesk, postKey: Buffer): void
}

export interface PostTrustDeps {
  /** This kiosk's post (config): the post of the roster pairing makes. */
  postId?: string
  settings: SettingsRepository
  vault: Vault
  logger: Logger
  now: () => Date
}

export function createPostTrust(deps: PostTrustDeps): PostTrust {
  const { settings, vault, logger, now } = deps
  let making: Promise<NetworkIdentity> | null = null
  let opened: (NetworkIdentity & { box: { privateKey: KeyObject; publicKey: KeyObject } }) | null = null
  const listeners = new Set<(roster: KnownRoster) => void>()

  const storedIdentity = () => readJsonSetting(settings, IDENTITY_KEY, StoredIdentity)
  // The roster and the post key are read on every NIK check, every peer request and every record the post-key fill
  // hashes: kept in memory once read, and replaced by `accept`, the only writer of the row.
  let heldRoster: z.infer<typeof StoredRoster> | null | undefined
  const storedRoster = () => (heldRoster === undefined ? (heldRoster = readJsonSetting(settings, ROSTER_KEY, StoredRoster)) : heldRoster)
  let heldPostKey: { sealed: string; key: Buffer } | null = null
  let heldPairings: z.infer<typeof StoredPairings> | null | undefined
  const storedPairings = () => (heldPairings === undefined ? (heldPairings = readJsonSetting(settings, PAIRINGS_KEY, StoredPairings)) : heldPairings)
  let heldPairingKey: { sealed: string; key: Buffer } | null = null

  /**
   * The roster pairing makes while central's is absent: this kiosk and the desks its supervisors paired, named by
   * their fingerprints. Central's roster, once held, replaces it whole (`roster()`).
   */
  function pairedRoster(): KnownRoster | null {
    const pairings = storedPairings()
    const own = storedIdentity()
    if (!pairings || pairings.desks.length === 0 || !own || !deps.postId) return null
    const last = pairings.desks.map((d) => d.pairedAt).sort().at(-1)!
    const desk = (certSha256: string): RosterKiosk => ({ kioskId: pairedKioskId(certSha256), name: pairedDeskName(certSha256), certSha256, revoked: false })
    return { postId: deps.postId, issuedAt: last, receivedAt: last, kiosks: [desk(own.certSha256), ...pairings.desks.map((d) => ({ ...desk(d.certSha256), name: d.name }))] }
  }

  function open(stored: StoredIdentity) {
    const tls = vault.open(Buffer.from(stored.sealedTlsKey, 'base64'), TLS_KEY_AAD)
    const box = vault.open(Buffer.from(stored.sealedBoxKey, 'base64'), BOX_KEY_AAD)
    try {
      const boxPrivate = createPrivateKey({ key: box, format: 'der', type: 'pkcs8' })
      return {
        certificate: Buffer.from(stored.certificate, 'base64'),
        certSha256: stored.certSha256,
        privateKey: createPrivateKey({ key: tls, format: 'der', type: 'pkcs8' }),
        box: { privateKey: boxPrivate, publicKey: createPublicKey(boxPrivate) },
      }
    } finally {
      tls.fill(0)
      box.fill(0)
    }
  }

  async function make(): Promise<NetworkIdentity> {
    const tls = await createTlsIdentity('posko-kiosk', now())
    const box = generateKeyPairSync('x25519')
    const tlsDer = tls.privateKey.export({ format: 'der', type: 'pkcs8' })
    const boxDer = box.privateKey.export({ format: 'der', type: 'pkcs8' })
    const stored: StoredIdentity = {
      v: 1,
      certificate: tls.certificate.toString('base64'),
      certSha256: certificateSha256(tls.certificate),
      boxPublicKey: publicKeyToBase64(box.publicKey),
      sealedTlsKey: vault.seal(tlsDer, TLS_KEY_AAD).toString('base64'),
      sealedBoxKey: vault.seal(boxDer, BOX_KEY_AAD).toString('base64'),
      createdAt: now().toISOString(),
    }
    tlsDer.fill(0)
    boxDer.fill(0)
    settings.set(IDENTITY_KEY, JSON.stringify(stored), now())
    logger.info('network: made this kiosk\'s TLS identity', { certSha256: stored.certSha256 })
    opened = open(stored)
    return opened
  }

  async function identity(): Promise<NetworkIdentity> {
    if (opened) return opened
    const stored = storedIdentity()
    if (stored) {
      opened = open(stored)
      return opened
    }
    making ??= make().finally(() => {
      making = null
    })
    return making
  }

  function accept(postId: string, roster: PostRoster): void {
    try {
      if (roster.postId !== postId) {
        logger.warn('network: refused a roster for another post', { expected: postId, got: roster.postId })
        return
      }
      const before = storedRoster()
      if (before && before.postId === postId && Date.parse(roster.issuedAt) < Date.parse(before.issuedAt)) {
        logger.warn('network: refused a roster older than the one held', { issuedAt: roster.issuedAt, held: before.issuedAt })
        return
      }
      let sealedPostKey = before?.postId === postId ? before.sealedPostKey : null
      if (roster.sealedPostKey !== null && opened === null && storedIdentity()) opened = open(storedIdentity()!)
      if (roster.sealedPostKey !== null && opened) {
        try {
          const key = openSealedBox(opened.box.privateKey, opened.box.publicKey, Buffer.from(roster.sealedPostKey, 'base64'), POST_KEY_BOX_CONTEXT)
          if (key.length !== 32) throw new Error('post key is not 32 bytes')
          const previous = sealedPostKey === null ? null : vault.open(Buffer.from(sealedPostKey, 'base64'), POST_KEY_AAD)
          if (previous && !previous.equals(key)) logger.warn('network: central sent a different post key; the new one is used from now on')
          sealedPostKey = vault.seal(key, POST_KEY_AAD).toString('base64')
          key.fill(0)
        } catch (error) {
          logger.error('network: the post key in the roster does not open; keeping the one held', { error: (error as Error).message })
        }
      }
      const stored = { v: 1 as const, postId, issuedAt: roster.issuedAt, receivedAt: now().toISOString(), kiosks: roster.kiosks, sealedPostKey }
      settings.set(ROSTER_KEY, JSON.stringify(stored), now())
      heldRoster = stored
      const known = view(stored)
      for (const listener of listeners) listener(known)
    } catch (error) {
      logger.error('network: could not keep the roster', { error: (error as Error).message })
    }
  }

  const view = (r: z.infer<typeof StoredRoster>): KnownRoster => ({ postId: r.postId, issuedAt: r.issuedAt, receivedAt: r.receivedAt, kiosks: r.kiosks })

  return {
    identity,
    async registration(): Promise<TrustRegistration> {
      const id = await identity()
      return { tlsCertificate: id.certificate.toString('base64'), boxPublicKey: publicKeyToBase64(opened!.box.publicKey) }
    },
    registered() {
      const sha = storedIdentity()?.certSha256
      return sha !== undefined && (storedRoster()?.kiosks.some((k) => k.certSha256 === sha) ?? false)
    },
    accept,
    roster() {
      const r = storedRoster()
      return r ? view(r) : pairedRoster()
    },
    postKey() {
      const central = storedRoster()
      // Central's roster wins: its post key (or none yet, for a kiosk whose box key central has not registered).
      const sealed = central ? central.sealedPostKey : (storedPairings()?.sealedPostKey ?? null)
      if (!sealed) return null
      if (!central) {
        if (heldPairingKey?.sealed !== sealed) heldPairingKey = { sealed, key: vault.open(Buffer.from(sealed, 'base64'), PAIRING_KEY_AAD) }
        return Buffer.from(heldPairingKey.key)
      }
      if (heldPostKey?.sealed !== sealed) heldPostKey = { sealed, key: vault.open(Buffer.from(sealed, 'base64'), POST_KEY_AAD) }
      // A copy: what a caller does with its buffer never reaches the one held here.
      return Buffer.from(heldPostKey.key)
    },
    onRosterChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    fromCentral: () => storedRoster() !== null,
    localKioskId() {
      const sha = storedIdentity()?.certSha256
      return sha ? pairedKioskId(sha) : null
    },
    pairings: () => storedPairings()?.desks ?? [],
    pairingPostKey() {
      const sealed = storedPairings()?.sealedPostKey
      return sealed ? vault.open(Buffer.from(sealed, 'base64'), PAIRING_KEY_AAD) : null
    },
    addPairing(desk, postKey) {
      if (postKey.length !== 32) throw new Error('a post key is 32 bytes')
      const before = storedPairings()
      if (before) {
        const held = vault.open(Buffer.from(before.sealedPostKey, 'base64'), PAIRING_KEY_AAD)
        // pairing.ts agrees the key before either side stores; a different one here is a bug, not a choice.
        if (!held.equals(postKey)) throw new Error('the paired desks already share another post key')
      }
      const desks = [...(before?.desks ?? []).filter((d) => d.certSha256 !== desk.certSha256), desk]
      const stored = { v: 1 as const, desks, sealedPostKey: before?.sealedPostKey ?? vault.seal(postKey, PAIRING_KEY_AAD).toString('base64') }
      settings.set(PAIRINGS_KEY, JSON.stringify(stored), now())
      heldPairings = stored
      logger.info('network: paired a desk by code', { certSha256: desk.certSha256 })
      const roster = storedRoster() ? view(storedRoster()!) : pairedRoster()
      if (roster) for (const listener of listeners) listener(roster)
    },
  }
}
