import { existsSync, readFileSync } from 'node:fs'
import { KioskConfig } from '../../../common/config'
import { configPath } from '../platform/config-file'
import { writeFileDurable } from '../platform/durable-file'
import type { Logger } from '../platform/logger'

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
  writeFileDurable(file, `${JSON.stringify(next, null, 2)}\n`, 0o644)
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
