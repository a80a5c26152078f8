import type { KeyObject } from 'node:crypto'
import { generateKeyPairSync } from 'node:crypto'
import { z } from 'zod'
import type { KioskConfig } from '../../../common/config'
import { isSecureCentralUrl } from '../../../common/central-url'
import { DomainError } from '../../../common/result'
import type { Logger } from '../platform/logger'
import type { Vault } from '../security/vault'
import type { AuditLog } from '../store/audit'
import type { SettingsRepository } from '../store/settings'
import { requestEnrolment } from './client'
import { normaliseEnrolmentCode } from './code'
import { writeEnrolledConfig } from './config-file'
import { keyId, parsePublicKey, publicKeyToBase64 } from '../security/public-keys'
import type { StoredEnrolment } from './state'
import { openEnrolment, readEnrolment, writeEnrolment } from './state'
import type { EnrolAnswer } from './wire'
import type { KioskCredentials } from '../platform/identity'
import { PostId } from '../platform/identity'
import type { PostTrustLink } from '../platform/post-roster'

export interface EnrolmentDeps {
  dataDir: string
  vault: Vault
  settings: SettingsRepository
  /** The config the kiosk runs with: the base for config.json when the data folder has none yet. */
  config?: KioskConfig
  /** Sent to central so IT can see which version each kiosk runs. */
  kioskVersion: string
  /** Injected: Node's fetch in tests and browser mode, Electron's net.fetch (system proxy) in the kiosk. */
  fetch?: typeof fetch
  now: () => Date
  logger: Logger
  audit?: Pick<AuditLog, 'append'>
  /**
   * Records not yet uploaded. Queued records carry the post they were made at, so moving an enrolled kiosk to
   * another post while any are left would strand them; enrolment then refuses until they are uploaded or exported.
   */
  pendingRecords?: () => number
  timeoutMs?: number
  /** The post network's identity: its certificate goes to central with the enrolment, the roster comes back. */
  trust?: PostTrustLink
}

export interface EnrolInput {
  centralUrl: string
  postId: string
  code: string
}

export interface EnrolmentStatus {
  enrolled: boolean
  postId: string | null
  postName: string | null
  centralUrl: string | null
  enrolledAt: string | null
  /** The kiosk's key as central lists it: IT can match a kiosk to its row at central. */
  kioskKeyId: string | null
}

export interface EnrolmentService {
  enrol(input: EnrolInput, actor?: { operatorId: string | null }): Promise<EnrolmentStatus>
  status(): EnrolmentStatus
  credentials(): KioskCredentials | null
}

const CentralUrl = z.url({ protocol: /^https?$/ })

function invalid(field: keyof EnrolInput, message: string): DomainError {
  return new DomainError('invalid_input', message, { field, reason: `invalid_${field}` })
}

function parseInput(input: EnrolInput): { centralUrl: string; postId: string; code: string } {
  const url = CentralUrl.safeParse(input.centralUrl.trim())
  if (!url.success || !isSecureCentralUrl(url.data)) throw invalid('centralUrl', 'central URL must be https (http only to this machine)')
  const parsedUrl = new URL(url.data)
  // The URL is stored and shown; credentials or a query in it would be a secret in the clear, or a mistake.
  if (parsedUrl.username || parsedUrl.password || parsedUrl.search || parsedUrl.hash) {
    throw invalid('centralUrl', 'central URL must not carry credentials, a query or a fragment')
  }
  const postId = PostId.safeParse(input.postId.trim().toUpperCase())
  if (!postId.success) throw invalid('postId', 'post code: 2–20 capitals, digits or dashes')
  const code = normaliseEnrolmentCode(input.code)
  if (code === null) throw invalid('code', 'enrolment code: 12 letters and digits, as printed by central')
  return { centralUrl: parsedUrl.href.replace(/\/+$/, ''), postId: postId.data, code }
}

const notEnrolled: EnrolmentStatus = { enrolled: false, postId: null, postName: null, centralUrl: null, enrolledAt: null, kioskKeyId: null }

function toStatus(stored: StoredEnrolment | null): EnrolmentStatus {
  if (!stored) return notEnrolled
  const { postId, postName, centralUrl, enrolledAt, kioskKeyId } = stored
  return { enrolled: true, postId, postName, centralUrl, enrolledAt, kioskKeyId }
}

/**
 * Enrolment (DESIGN.md §6 auth, §9): IT types central's URL, the post code and a one-time code; the kiosk makes its
 * Ed25519 signing key, central registers it and answers the bearer token and central's X25519 bundle key.
 */
export function createEnrolmentService(deps: EnrolmentDeps): EnrolmentService {
  const { vault, settings, logger, now } = deps
  const doFetch = deps.fetch ?? fetch
  const timeoutMs = deps.timeoutMs ?? 30_000
  let cached: KioskCredentials | null | undefined
  let inFlight = false
  /**
   * The key pair of an attempt whose answer never arrived. Central lets the same code be redeemed again by the
   * same key, so retrying after a dropped answer works instead of burning IT's code.
   */
  let pending: { attempt: string; privateKey: KeyObject; publicKey: KeyObject } | null = null

  function loadCredentials(): KioskCredentials | null {
    const stored = readEnrolment(settings)
    if (!stored) return null
    if (!isSecureCentralUrl(stored.centralUrl)) {
      // Enrolled over plain http before that was refused: no token goes out in clear; IT enrols again over https.
      logger.error('enrolment: central URL is not https; uploads and bundles stay off until the kiosk is enrolled again')
      return null
    }
    try {
      const opened = openEnrolment(stored, vault)
      return { ...opened, centralUrl: stored.centralUrl, postId: stored.postId, kioskKeyId: stored.kioskKeyId }
    } catch (error) {
      // The vault key changed (a restored disk image, a new OS profile): the kiosk must be enrolled again.
      logger.error('enrolment: stored credentials cannot be opened', { error: (error as Error).message })
      return null
    }
  }

  async function enrol(input: EnrolInput, actor: { operatorId: string | null } = { operatorId: null }): Promise<EnrolmentStatus> {
    const { centralUrl, postId, code } = parseInput(input)
    const before = readEnrolment(settings)
    if (before && before.postId !== postId && (deps.pendingRecords?.() ?? 0) > 0) {
      throw new DomainError('conflict', `records of post ${before.postId} are still queued: upload or export them before moving this kiosk`, {
        reason: 'queue_not_empty',
      })
    }
    if (inFlight) throw new DomainError('conflict', 'an enrolment is already in progress', { reason: 'in_progress' })
    inFlight = true
    try {
      const attempt = `${centralUrl}\n${postId}\n${code}`
      if (pending?.attempt !== attempt) pending = { attempt, ...generateKeyPairSync('ed25519') }
      const { privateKey, publicKey } = pending
      const registration = await deps.trust?.registration()
      let answer: EnrolAnswer
      try {
        answer = await requestEnrolment(
          doFetch,
          centralUrl,
          { postId, code, kioskPublicKey: publicKeyToBase64(publicKey), kioskVersion: deps.kioskVersion, ...registration },
          timeoutMs,
        )
      } catch (error) {
        // Only an unanswered attempt may be retried with the same key; a refusal means the code is spent or wrong.
        if (!(error instanceof DomainError && error.code === 'unavailable')) pending = null
        throw error
      }
      const centralPublicKey = parsePublicKey(answer.centralPublicKey, 'x25519')
      const kioskKeyId = keyId(publicKey)
      if (!centralPublicKey || answer.kioskKeyId !== kioskKeyId) {
        throw new DomainError('unavailable', 'central answered an enrolment for another key', { reason: 'bad_answer' })
      }
      const at = now()
      // config.json first: if the settings write then failed, the kiosk would show the new post as not enrolled
      // (IT enrols again) rather than hold a token for a post its config doesn't name.
      writeEnrolledConfig(deps.dataDir, { postId, postName: answer.postName, centralUrl }, deps.config, logger)
      writeEnrolment(
        settings,
        vault,
        { postId, postName: answer.postName, centralUrl, enrolledAt: at.toISOString(), kioskKeyId, kioskPublicKey: publicKeyToBase64(publicKey), centralPublicKey: publicKeyToBase64(centralPublicKey) },
        { token: answer.token, kioskPrivateKey: privateKey },
        at,
      )
      pending = null
      if (answer.roster) deps.trust?.accept(postId, answer.roster)
      cached = { token: answer.token, centralUrl, postId, centralPublicKey, kioskSigningKey: privateKey, kioskKeyId }
      deps.audit?.append({ actor: actor.operatorId, action: 'settings_change', details: { setting: 'enrolment', postId, kioskKeyId } })
      logger.info('enrolment: kiosk enrolled', { postId, kioskKeyId, previousPostId: before?.postId ?? null })
      return toStatus(readEnrolment(settings))
    } finally {
      inFlight = false
    }
  }

  return {
    enrol,
    status: () => toStatus(readEnrolment(settings)),
    credentials() {
      if (cached === undefined) cached = loadCredentials()
      return cached
    },
  }
}
