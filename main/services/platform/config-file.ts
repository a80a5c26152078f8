import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { KioskConfig } from '../../../common/config'

/** IT's settings for this kiosk (enrolment writes the post and central into it). */
export const configPath = (dataDir: string) => join(dataDir, 'config.json')

export class ConfigError extends Error {
  readonly file: string
  readonly problems: string[]
  constructor(file: string, problems: string[]) {
    super(`Invalid kiosk config ${file}: ${problems.join('; ')}`)
    this.name = 'ConfigError'
    this.file = file
    this.problems = problems
  }
}

/**
 * The kiosk's config is `<dataDir>/config.json` when IT has enrolled it, else the shipped default (a demo post).
 * A bad file is an error with every problem listed, never a half-applied config.
 */
export function loadConfig(dataDir: string, defaultFile: string): { config: KioskConfig; file: string } {
  const local = configPath(dataDir)
  const file = existsSync(local) ? local : defaultFile
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    throw new ConfigError(file, [`not readable JSON (${(error as Error).message})`])
  }
  const parsed = KioskConfig.safeParse(raw)
  if (!parsed.success) {
    throw new ConfigError(
      file,
      parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
    )
  }
  return { config: parsed.data, file }
}
