import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { KioskConfig } from '../../../common/config'
import type { Logger } from '../logger'

/**
 * Writes a file so that a power cut leaves either the old content or the new, never half of either: temp file in
 * the same directory, fsync, rename over the target, then fsync the directory so the rename itself is durable.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array, mode = 0o600): void {
  const tmp = `${file}.${process.pid}.tmp`
  const fd = openSync(tmp, 'w', mode)
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data)
    fsyncSync(fd)
  } catch (error) {
    closeSync(fd)
    rmSync(tmp, { force: true })
    throw error
  }
  closeSync(fd)
  renameSync(tmp, file)
  syncDirectory(dirname(file))
}

/** Best effort: Windows can't open a directory for fsync, and NTFS journals the rename anyway. */
export function syncDirectory(dir: string): void {
  let fd: number | null = null
  try {
    fd = openSync(dir, 'r')
    fsyncSync(fd)
  } catch {
    // Not supported here; the rename is still atomic, only its durability across a power cut is weaker.
  } finally {
    if (fd !== null) closeSync(fd)
  }
}

export const configPath = (dataDir: string) => join(dataDir, 'config.json')

/**
 * Puts the enrolled post and central URL into `<dataDir>/config.json`, keeping what IT set there before (mode,
 * language, update URL, retention). The file keeps only what was set: defaults written out would freeze them, and a
 * later version's better default would never reach this kiosk. Without a readable file, the settings the kiosk runs
 * with that differ from the defaults carry over.
 */
export function writeEnrolledConfig(
  dataDir: string,
  enrolled: Pick<KioskConfig, 'postId' | 'postName' | 'centralUrl'>,
  current: KioskConfig | undefined,
  logger: Logger,
): KioskConfig {
  const file = configPath(dataDir)
  // Central allows longer post names than the kiosk's config; the screen shows the first 80 characters.
  const post = { ...enrolled, postName: enrolled.postName.slice(0, 80) }
  const next = { ...(readSetFields(file, logger) ?? changedFromDefaults(current, post)), ...post }
  const parsed = KioskConfig.parse(next)
  writeFileAtomic(file, `${JSON.stringify(next, null, 2)}\n`, 0o644)
  return parsed
}

function readSetFields(file: string, logger: Logger): Record<string, unknown> | null {
  if (!existsSync(file)) return null
  try {
    const raw: unknown = JSON.parse(readFileSync(file, 'utf8'))
    if (KioskConfig.safeParse(raw).success) return raw as Record<string, unknown>
    logger.warn('enrolment: config.json is invalid; rewriting it from the running config')
  } catch {
    logger.warn('enrolment: config.json is not JSON; rewriting it from the running config')
  }
  return null
}

function changedFromDefaults(current: KioskConfig | undefined, post: Pick<KioskConfig, 'postId' | 'postName' | 'centralUrl'>): Record<string, unknown> {
  if (!current) return {}
  const defaults: Record<string, unknown> = KioskConfig.parse(post)
  return Object.fromEntries(Object.entries(current).filter(([key, value]) => JSON.stringify(value) !== JSON.stringify(defaults[key])))
}
