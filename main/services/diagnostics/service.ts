import { stat } from 'node:fs/promises'
import { arch, platform, release } from 'node:os'
import { isAbsolute, join } from 'node:path'
import { promisify } from 'node:util'
import { gzip as gzipCallback } from 'node:zlib'
import type { QueueStatus } from '../../../common/records'
import type { UploadState } from '../../../common/upload'
import type { Diagnostics, DiagnosticsExportResult, DiskSpace, RecentError, UpdateState } from '../../../common/operations'
import { DomainError } from '../../../common/result'
import { diskSpace, driveWriteRefusal } from '../platform/disk'
import { writeFileDurableStreamed } from '../platform/durable-file'
import type { Logger } from '../platform/logger'
import { collectLogFiles } from './log-files'
import { maskSecrets, redactText } from './redact'
import type { TarEntry } from './tar'
import { tarArchive } from './tar'

const gzip = promisify(gzipCallback)

export interface DiagnosticsOptions {
  version: string
  postId: string
  /** The config the kiosk runs with; masked before it is shown or exported. */
  config: () => unknown
  queueStatus: () => QueueStatus
  uploadState: () => UploadState
  updateState?: () => UpdateState | null
  recentErrors: () => readonly RecentError[]
  dataDir: string
  /** electron-log's folder; its *.log files go into the export (redacted, tails only). */
  logsDir?: string | null
  diskSpace?: (dir: string) => Promise<DiskSpace>
  keyProtection?: () => { kind: 'keyring' | 'tpm' | 'none'; registering: boolean }
  now: () => Date
  logger: Logger
}

export interface DiagnosticsService {
  collect(): Promise<Diagnostics>
  /** Writes posko-diagnostics-<post>-<time>.tar.gz into `directory` (a USB stick, usually). */
  exportTo(directory: string): Promise<DiagnosticsExportResult>
}

const README = `Posko diagnostics
=================
diagnostics.json  versions, config (secrets masked), queue counts by state, upload and update state, disk space,
                  the last warnings and errors
logs/             the newest kiosk log files (the last 2 MiB of each)

No personal data: logs carry record ids, counts and codes only, and anything shaped like a NIK, a phone number or
an e-mail address was replaced by [number], [phone] or [email] before this file was written.
`

/** Processes name their versions in process.versions; electron and chrome exist only inside Electron. */
function versions(app: string): Diagnostics['versions'] {
  const v = process.versions as NodeJS.ProcessVersions & { electron?: string; chrome?: string }
  return { app, electron: v.electron ?? null, chrome: v.chrome ?? null, node: v.node, os: `${platform()} ${release()}`, arch: arch() }
}

function stamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z').replace('T', '-')
}

function writeError(error: unknown): DomainError {
  return driveWriteRefusal(error) ?? new DomainError('unavailable', 'the diagnostics file could not be written', { reason: 'write_failed' })
}

export function createDiagnostics(options: DiagnosticsOptions): DiagnosticsService {
  const measure = options.diskSpace ?? diskSpace

  async function collect(): Promise<Diagnostics> {
    const config = maskSecrets(options.config())
    return {
      generatedAt: options.now().toISOString(),
      versions: versions(options.version),
      config: config !== null && typeof config === 'object' && !Array.isArray(config) ? (config as Record<string, unknown>) : {},
      queue: options.queueStatus(),
      upload: options.uploadState(),
      update: options.updateState?.() ?? null,
      disk: await measure(options.dataDir),
      lastErrors: options.recentErrors().slice(-50),
      keyProtection: options.keyProtection?.() ?? { kind: 'none', registering: true },
    }
  }

  return {
    collect,
    async exportTo(directory) {
      if (!isAbsolute(directory)) throw new DomainError('invalid_input', 'export folder must be an absolute path', { reason: 'directory' })
      const info = await stat(directory).catch(() => null)
      if (!info?.isDirectory()) throw new DomainError('invalid_input', 'export folder does not exist', { reason: 'directory' })

      const now = options.now()
      const report = await collect()
      const entries: TarEntry[] = [
        { name: 'README.txt', data: README, mtime: now },
        // Redacted as a whole too: the report's strings come from config and log fields.
        { name: 'diagnostics.json', data: redactText(`${JSON.stringify(report, null, 2)}\n`), mtime: now },
        ...(options.logsDir ? await collectLogFiles(options.logsDir) : []),
      ]
      const archive = await gzip(tarArchive(entries, now))
      const safePost = options.postId.replace(/[^A-Za-z0-9-]/g, '')
      const file = join(directory, `posko-diagnostics-${safePost}-${stamp(now)}.tar.gz`)
      // Temp file, fsync, rename: a pulled stick leaves no half archive under the real name.
      try {
        await writeFileDurableStreamed(file, async (out) => void (await out.write(archive)))
      } catch (error) {
        options.logger.warn('diagnostics export failed', { code: (error as NodeJS.ErrnoException).code ?? 'unknown' })
        throw writeError(error)
      }
      options.logger.info('diagnostics exported', { bytes: archive.length, entries: entries.length })
      return { file, bytes: archive.length, entries: entries.map((e) => e.name) }
    },
  }
}
