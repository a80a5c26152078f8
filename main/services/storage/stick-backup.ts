import { randomUUID } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { isAbsolute, join } from 'node:path'
import { z } from 'zod'
import type { RemovableDrive } from '../../../common/operations'
import type { StickState, StickStatus } from '../../../common/backup'
import { DomainError } from '../../../common/result'
import { syncDirectory, writeFileDurable, writeFileDurableStreamed } from '../platform/durable-file'
import type { Logger } from '../platform/logger'
import type { StickBackupRepository } from '../store/stick-backup'

/**
 * USB backup for a post with one desk (issue 22.3; VxPollBook keeps its backup on a stick every minute). A supervisor
 * designates one of the drives the kiosk sees; from then on every record central has not answered is on it as a
 * sealed bundle of one record — the USB format, encrypted to central's key and signed by this desk, so nothing on
 * the stick is readable without central — written within a pass of its commit (a pass every few seconds), each file
 * durably (temp, fsync, rename, fsync the folder). A record central answered is removed from the stick; a record
 * edited is written again under its new version's tag.
 *
 * On the stick: `posko-backup/<kiosk id>/stick.json` (which stick this is, for which desk and post: ids only) and
 * `posko-backup/<kiosk id>/<record id>.<version tag>.pkb`. The stick is found again by that marker wherever the OS
 * mounts it; the files on it are the truth of what it holds, so a stick emptied or swapped is never counted for
 * what it does not hold. A stick that is pulled out, full or write-protected is said so in those words; designating
 * another stick writes everything again there.
 */
export const STICK_FOLDER = 'posko-backup'
export const MARKER_FILE = 'stick.json'
export const BUNDLE_SUFFIX = '.pkb'

const Marker = z.object({ format: z.literal(1), stickId: z.uuid(), postId: z.string(), kioskId: z.string(), designatedAt: z.string() })
export type StickMarker = z.infer<typeof Marker>

/** The designation kept in the kiosk's settings: which stick (its marker's id), its label, since when. */
export const Designation = z.object({ stickId: z.uuid(), label: z.string().max(200), designatedAt: z.iso.datetime() })
export type Designation = z.infer<typeof Designation>

/** A file of the stick's folder: `<record id>.<tag>.pkb`. */
const FILE = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([0-9a-f]{16})\.pkb$/

export interface StickBackupDeps {
  repo: StickBackupRepository
  postId: string
  /** This desk's enrolment key id (its folder on the stick); null before enrolment. */
  kioskId(): string | null
  designation(): Designation | null
  saveDesignation(value: Designation | null): void
  drives(): Promise<RemovableDrive[]>
  /** The record as a bundle of one (bundle/record-bundle.ts); null when it cannot be sealed. */
  seal(recordId: string): Promise<{ bundle: Buffer } | null>
  logger: Logger
  now(): Date
  /** The state or the counts changed (the home screen asks again). */
  onChange?(): void
}

export interface StickBackup {
  designate(directory: string): Promise<StickStatus>
  forget(): StickStatus
  /** One pass: find the stick, remove what central answered, write what it lacks. Joins a pass already running. */
  pass(): Promise<StickStatus>
  status(): StickStatus
  /** Records whose current version the stick held at the last pass, while it is plugged in. */
  safeOnStick(): ReadonlySet<string>
  start(intervalMs?: number): void
  stop(): void
}

const errorCode = (error: unknown): string => String((error as { code?: unknown } | null)?.code ?? 'EUNKNOWN')

/** A write error in the words staff act on. ENOENT/EIO and the like are decided by looking for the stick again. */
function refusal(code: string): 'full' | 'write_protected' | null {
  if (code === 'ENOSPC' || code === 'EDQUOT') return 'full'
  if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM') return 'write_protected'
  return null
}

export function createStickBackup(deps: StickBackupDeps): StickBackup {
  const { logger } = deps
  let state: StickState = deps.designation() ? 'missing' : 'not_designated'
  let onStick = new Map<string, string>()
  let safe = new Set<string>()
  let toWrite = 0
  let lastWrittenAt: string | null = null
  let checkedAt: string | null = null
  let freeBytes: number | null = null
  let error: string | null = null
  let running: Promise<StickStatus> | null = null
  let timer: ReturnType<typeof setInterval> | null = null

  function status(): StickStatus {
    const d = deps.designation()
    return {
      state: d ? state : 'not_designated',
      label: d?.label ?? null,
      designatedAt: d?.designatedAt ?? null,
      onStick: d ? onStick.size : 0,
      toWrite: d ? toWrite : 0,
      lastWrittenAt: d ? lastWrittenAt : null,
      checkedAt: d ? checkedAt : null,
      freeBytes: d ? freeBytes : null,
      error: d && state === 'failed' ? error : null,
    }
  }

  function setState(next: StickState, code: string | null = null): void {
    const changed = next !== state
    if (changed) {
      const d = deps.designation()
      const level = next === 'ok' || next === 'writing' || next === 'not_designated' ? 'info' : 'warn'
      logger[level]('stick: the backup stick is now ' + next, { label: d?.label ?? null, ...(code ? { code } : {}) })
    }
    state = next
    error = code
    if (changed) deps.onChange?.()
  }

  function readMarker(drivePath: string, kioskId: string): StickMarker | null {
    try {
      const parsed = Marker.safeParse(JSON.parse(readFileSync(join(drivePath, STICK_FOLDER, kioskId, MARKER_FILE), 'utf8')))
      return parsed.success ? parsed.data : null
    } catch {
      return null
    }
  }

  async function locate(d: Designation, kioskId: string): Promise<RemovableDrive | null> {
    for (const drive of await deps.drives()) {
      if (readMarker(drive.path, kioskId)?.stickId === d.stickId) return drive
    }
    return null
  }

  /** What the stick's folder holds of this desk: record id → version tag (another file of a record is stale). */
  function listFolder(folder: string): { held: Map<string, string>; stale: string[] } {
    const held = new Map<string, string>()
    const stale: string[] = []
    for (const name of readdirSync(folder)) {
      const m = FILE.exec(name)
      if (!m) continue
      if (held.has(m[1]!)) stale.push(name)
      else held.set(m[1]!, m[2]!)
    }
    return { held, stale }
  }

  const lost = () => {
    onStick = new Map()
    safe = new Set()
  }

  async function runPass(): Promise<StickStatus> {
    const d = deps.designation()
    const kioskId = deps.kioskId()
    checkedAt = deps.now().toISOString()
    if (!d || !kioskId) {
      lost()
      setState('not_designated')
      return status()
    }
    const drive = await locate(d, kioskId)
    if (!drive) {
      // Pulled out (or unmounted mid-write): what it held is not here to count.
      lost()
      setState('missing')
      return status()
    }
    freeBytes = drive.freeBytes
    const folder = join(drive.path, STICK_FOLDER, kioskId)
    const wanted = deps.repo.unsettled()
    let listed: ReturnType<typeof listFolder>
    try {
      listed = listFolder(folder)
    } catch (e) {
      lost()
      setState((await locate(d, kioskId)) ? 'failed' : 'missing', errorCode(e))
      return status()
    }
    onStick = listed.held
    const pending = wanted.filter((w) => onStick.get(w.recordId) !== w.tag)
    toWrite = pending.length
    const refreshSafe = () => {
      safe = new Set(wanted.filter((w) => onStick.get(w.recordId) === w.tag).map((w) => w.recordId))
    }
    refreshSafe()
    if (!drive.writable) {
      // Readable: what is on it still counts; nothing more can be written.
      setState(pending.length > 0 ? 'write_protected' : 'ok')
      if (pending.length > 0) return status()
    }
    try {
      // Central answered these: their copies can go (rejected ones stay until fixed and written again).
      let removed = 0
      for (const [recordId, tag] of [...onStick]) {
        if (!deps.repo.settled(recordId)) continue
        rmSync(join(folder, `${recordId}.${tag}${BUNDLE_SUFFIX}`), { force: true })
        onStick.delete(recordId)
        removed++
      }
      for (const name of listed.stale) rmSync(join(folder, name), { force: true })
      if (removed > 0 || listed.stale.length > 0) syncDirectory(folder)
      if (pending.length > 0) setState('writing')
      for (const { recordId, tag } of pending) {
        const sealed = await deps.seal(recordId)
        if (!sealed) {
          toWrite--
          continue
        }
        await writeFileDurableStreamed(join(folder, `${recordId}.${tag}${BUNDLE_SUFFIX}`), async (out) => {
          await out.write(sealed.bundle)
        })
        const old = onStick.get(recordId)
        // The new version is on the stick before the old one goes: a pull in between leaves both, never neither.
        if (old !== undefined && old !== tag) rmSync(join(folder, `${recordId}.${old}${BUNDLE_SUFFIX}`), { force: true })
        onStick.set(recordId, tag)
        safe.add(recordId)
        toWrite--
        lastWrittenAt = deps.now().toISOString()
      }
      if (pending.length > 0) {
        logger.info('stick: backed up records', { written: pending.length - toWrite, label: d.label })
        deps.onChange?.()
      }
      setState('ok')
    } catch (e) {
      const code = errorCode(e)
      const words = refusal(code)
      if (words) setState(words, code)
      else if (await locate(d, kioskId)) setState('failed', code)
      else {
        lost()
        setState('missing', code)
      }
      refreshSafe()
    }
    return status()
  }

  function pass(): Promise<StickStatus> {
    running ??= runPass()
      .catch((e: unknown) => {
        logger.error('stick: backup pass failed', { error: (e as Error).message })
        setState('failed', errorCode(e))
        return status()
      })
      .finally(() => {
        running = null
      })
    return running
  }

  return {
    async designate(directory) {
      const kioskId = deps.kioskId()
      if (!kioskId) throw new DomainError('forbidden', 'this kiosk is not enrolled', { reason: 'not_enrolled' })
      if (!isAbsolute(directory)) throw new DomainError('invalid_input', 'the stick must be an absolute path', { reason: 'directory' })
      // Only a drive the kiosk lists as removable: a folder on the kiosk's own disk is no backup of it.
      const drive = (await deps.drives()).find((x) => x.path === directory)
      if (!drive) throw new DomainError('invalid_input', 'not a USB drive the kiosk sees', { reason: 'not_a_drive' })
      if (!drive.writable) throw new DomainError('invalid_input', 'the drive cannot be written to', { reason: 'not_writable' })
      await running?.catch(() => undefined)
      const folder = join(directory, STICK_FOLDER, kioskId)
      const designation: Designation = { stickId: randomUUID(), label: drive.label, designatedAt: deps.now().toISOString() }
      const marker: StickMarker = { format: 1, stickId: designation.stickId, postId: deps.postId, kioskId, designatedAt: designation.designatedAt }
      try {
        mkdirSync(folder, { recursive: true, mode: 0o700 })
        writeFileDurable(join(folder, MARKER_FILE), JSON.stringify(marker))
      } catch (e) {
        const words = refusal(errorCode(e))
        if (words === 'full') throw new DomainError('unavailable', 'the drive is full', { reason: 'disk_full' })
        if (words === 'write_protected') throw new DomainError('invalid_input', 'the drive cannot be written to', { reason: 'not_writable' })
        throw e
      }
      deps.saveDesignation(designation)
      lost()
      state = 'missing'
      logger.info('stick: designated as the backup stick', { label: drive.label })
      return pass()
    },
    forget() {
      deps.saveDesignation(null)
      lost()
      setState('not_designated')
      return status()
    },
    pass,
    status,
    safeOnStick: () => (deps.designation() && state !== 'missing' ? safe : new Set()),
    start(intervalMs = 10_000) {
      if (timer) return
      timer = setInterval(() => void pass(), intervalMs)
      timer.unref()
      void pass()
    },
    stop() {
      if (timer) clearInterval(timer)
      timer = null
    },
  }
}
