import type { QueueStatus } from '../../../common/records'
import type { UploadState } from '../../../common/upload'
import type { DiskSpace } from '../../../common/operations'
import type { Logger } from '../platform/logger'
import type { Clock } from '../platform/clock'
import { diskSpace } from '../platform/disk'
import { readCapped, ResponseTooLargeError, SMALL_ANSWER_BYTES } from '../central/read-capped'
import type { Heartbeat } from './wire'
import type { PostTrustLink } from '../platform/post-roster'
import { AuditHead as AuditHeadSchema, HeartbeatAnswer, heartbeatPath, KeyProtection, UpdateErrorCode } from './wire'

export type HeartbeatOutcome =
  | { ok: true; at: string }
  | { ok: false; at: string; reason: 'not_configured' | 'auth' | 'network' | 'timeout' | 'bad_answer' | `http_${number}` }

export interface HeartbeatOptions {
  /** Central's URL and the post's bearer token, read at every send (enrolment can change them); null: not enrolled. */
  credentials: () => { baseUrl: string; token: string } | null
  postId: string
  version: string
  queueStatus: () => QueueStatus
  uploadState: () => UploadState
  /** The data folder: its filesystem's free space is what runs out first on a post. */
  dataDir: string
  /** Injected: Node's fetch in tests and browser mode, Electron's net.fetch (system proxy) in the kiosk. */
  fetch?: typeof fetch
  /** Injected for tests; defaults to statfs. */
  diskSpace?: (dir: string) => Promise<DiskSpace>
  clock: Clock
  logger: Logger
  /** Default 1 h. */
  intervalMs?: number
  /** The first heartbeat after start, so IT sees a freshly updated version soon. Default 30 s. */
  firstDelayMs?: number
  timeoutMs?: number
  /** The audit chain's last row (store/audit.ts head()), so central notices a rewritten tail; null: empty chain. */
  auditHead?: () => { seq: number; hash: string } | null
  /** How the vault key is protected ('keyring' | 'tpm' | 'none'); null: not known. */
  keyProtection?: () => string | null
  /** The updater's last error code, so a refused update shows on the fleet page too. */
  updateError?: () => string | null
  /** Issue 22: this desk's records not yet safe (backup.status); null without a post network. */
  notSafe?: () => number | null
  /**
   * The post network: until central's roster lists this kiosk's certificate (a kiosk enrolled before the post
   * network), each heartbeat carries it; the roster in the answer goes to `accept` (revocations arrive this way).
   */
  trust?: PostTrustLink
}

export interface HeartbeatSender {
  /** Sends one heartbeat now (joins one already in flight). Never throws. */
  send(): Promise<HeartbeatOutcome>
  /** Hourly from now on (the first one shortly after start). */
  start(): void
  stop(): void
  /** The latest outcome, for diagnostics. */
  last(): HeartbeatOutcome | null
}

/** The heartbeat's body: counts, codes and times only (DESIGN.md §8: no personal data leaves except in batches). */
export function buildHeartbeat(input: {
  version: string
  now: Date
  queue: QueueStatus
  upload: UploadState
  diskFreeBytes: number | null
  auditHead?: { seq: number; hash: string } | null
  keyProtection?: string | null
  updateError?: string | null
  notSafe?: number | null
}): Heartbeat {
  // Each is checked here rather than sent as they come: central refuses a heartbeat with a field out of shape, and
  // one odd value must not cost IT the whole heartbeat. Out of shape reads as "not known" (null).
  const head = input.auditHead === undefined ? undefined : AuditHeadSchema.safeParse(input.auditHead)
  const protection = input.keyProtection === undefined ? undefined : KeyProtection.safeParse(input.keyProtection)
  const updateError = input.updateError === undefined ? undefined : UpdateErrorCode.safeParse(input.updateError)
  return {
    version: input.version,
    sentAt: input.now.toISOString(),
    queue: { ...input.queue.counts },
    uploadStatus: input.upload.status,
    lastSyncAt: input.upload.lastSyncAt ?? input.queue.lastSyncAt,
    diskFreeBytes: input.diskFreeBytes === null ? null : Math.floor(input.diskFreeBytes),
    lastError: input.upload.lastError,
    ...(head === undefined ? {} : { auditHead: head.success ? head.data : null }),
    ...(protection === undefined ? {} : { keyProtection: protection.success ? protection.data : null }),
    ...(updateError === undefined ? {} : { updateError: updateError.success ? updateError.data : null }),
    ...(input.notSafe === undefined ? {} : { notSafe: typeof input.notSafe === 'number' && Number.isSafeInteger(input.notSafe) && input.notSafe >= 0 ? input.notSafe : null }),
  }
}

export function createHeartbeat(options: HeartbeatOptions): HeartbeatSender {
  const { clock, logger } = options
  const doFetch = options.fetch ?? fetch
  const measure = options.diskSpace ?? diskSpace
  const intervalMs = options.intervalMs ?? 60 * 60 * 1000
  const timeoutMs = options.timeoutMs ?? 15_000
  let inFlight: Promise<HeartbeatOutcome> | null = null
  let last: HeartbeatOutcome | null = null
  let timer: unknown = null
  let started = false

  async function deliver(): Promise<HeartbeatOutcome> {
    const at = new Date(clock.now()).toISOString()
    const credentials = options.credentials()
    if (!credentials) return { ok: false, at, reason: 'not_configured' }
    const disk = await measure(options.dataDir)
    const body = buildHeartbeat({
      version: options.version,
      now: new Date(clock.now()),
      queue: options.queueStatus(),
      upload: options.uploadState(),
      diskFreeBytes: disk.freeBytes,
      auditHead: options.auditHead?.(),
      keyProtection: options.keyProtection?.(),
      updateError: options.updateError?.(),
      notSafe: options.notSafe?.(),
    })
    const trust = options.trust
    const registration = trust && !trust.registered() ? await trust.registration().catch(() => undefined) : undefined
    if (registration) Object.assign(body, registration)
    let response: Response
    let text: string
    try {
      response = await doFetch(`${credentials.baseUrl.replace(/\/+$/, '')}${heartbeatPath(options.postId)}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${credentials.token}`, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'manual',
      })
      text = await readCapped(response, SMALL_ANSWER_BYTES)
    } catch (error) {
      if (error instanceof ResponseTooLargeError) return { ok: false, at, reason: 'bad_answer' }
      return { ok: false, at, reason: (error as Error).name === 'TimeoutError' ? 'timeout' : 'network' }
    }
    if (response.status === 401 || response.status === 403) return { ok: false, at, reason: 'auth' }
    if (response.status !== 200) return { ok: false, at, reason: `http_${response.status}` }
    try {
      // A captive portal answers 200 too: only central's own answer counts as delivered.
      const answer = HeartbeatAnswer.safeParse(JSON.parse(text))
      if (!answer.success) return { ok: false, at, reason: 'bad_answer' }
      if (answer.data.roster) trust?.accept(options.postId, answer.data.roster)
      return { ok: true, at }
    } catch {
      return { ok: false, at, reason: 'bad_answer' }
    }
  }

  function send(): Promise<HeartbeatOutcome> {
    inFlight ??= deliver()
      .catch((error: unknown): HeartbeatOutcome => {
        logger.error('heartbeat failed unexpectedly', { error: String(error) })
        return { ok: false, at: new Date(clock.now()).toISOString(), reason: 'network' }
      })
      .then((outcome) => {
        last = outcome
        if (outcome.ok) logger.debug('heartbeat sent')
        else if (outcome.reason !== 'not_configured') logger.warn('heartbeat not delivered', { reason: outcome.reason })
        return outcome
      })
      .finally(() => {
        inFlight = null
      })
    return inFlight
  }

  function schedule(ms: number): void {
    if (!started) return
    timer = clock.setTimeout(() => {
      timer = null
      void send().finally(() => schedule(intervalMs))
    }, ms)
  }

  return {
    send,
    start() {
      if (started) return
      started = true
      schedule(options.firstDelayMs ?? 30_000)
    },
    stop() {
      started = false
      if (timer !== null) clock.clearTimeout(timer)
      timer = null
    },
    last: () => last,
  }
}

/**
 * An upload run just ended (running → anything else): the moment IT's view is most worth refreshing, since the
 * queue depth and last sync just changed. Feed it the uploader's consecutive `upload.state` statuses.
 */
export function uploadRunEnded(previous: UploadState['status'] | null, next: UploadState['status']): boolean {
  return previous === 'running' && next !== 'running'
}
