// Log rotation moves files that may be lost in a power cut (a log, not a record): no durable write needed here.
// eslint-disable-next-line no-restricted-imports
import { existsSync, renameSync, rmSync } from 'node:fs'
import { lstat, open, readdir } from 'node:fs/promises'
import { basename, dirname, extname, join } from 'node:path'
import type { TarEntry } from './tar'
import { redactText } from './redact'

/**
 * Rotation for electron-log's file transport (`archiveLogFn`): main.log → main.1.log → … → main.<keep>.log, the
 * oldest dropped. electron-log's default keeps one old file, too little to see what led up to a crash on a post
 * IT visits once a month. Synchronous because electron-log calls it synchronously before writing the next line.
 */
export function rotateLogFile(file: string, keep: number): void {
  const ext = extname(file)
  const stem = join(dirname(file), basename(file, ext))
  const numbered = (n: number) => `${stem}.${n}${ext}`
  rmSync(numbered(keep), { force: true })
  for (let n = keep - 1; n >= 1; n--) {
    if (existsSync(numbered(n))) renameSync(numbered(n), numbered(n + 1))
  }
  renameSync(file, numbered(1))
}

async function tail(file: string, maxBytes: number): Promise<Buffer> {
  const handle = await open(file, 'r')
  try {
    const { size } = await handle.stat()
    const length = Math.min(size, maxBytes)
    const buffer = Buffer.alloc(length)
    await handle.read(buffer, 0, length, size - length)
    if (length === size) return buffer
    // Start at a whole line: half a NIK or half an e-mail address would slip past the redaction patterns.
    const newline = buffer.indexOf(0x0a)
    return newline === -1 ? Buffer.alloc(0) : buffer.subarray(newline + 1)
  } finally {
    await handle.close()
  }
}

/**
 * The newest *.log files of `logsDir` (regular files only: a symlink planted there must not pull another file
 * into the archive), each cut to the whole lines in its last `maxBytesPerFile` and redacted, as entries under logs/.
 */
export async function collectLogFiles(logsDir: string, options: { maxBytesPerFile?: number; maxFiles?: number } = {}): Promise<TarEntry[]> {
  const maxBytes = options.maxBytesPerFile ?? 2 * 1024 * 1024
  const maxFiles = options.maxFiles ?? 10
  const names = await readdir(logsDir).catch(() => [] as string[])
  const files: Array<{ name: string; path: string; mtime: Date }> = []
  for (const name of names) {
    if (!/^[A-Za-z0-9._-]{1,90}\.log$/.test(name)) continue
    const path = join(logsDir, name)
    const info = await lstat(path).catch(() => null)
    if (info?.isFile()) files.push({ name, path, mtime: info.mtime })
  }
  files.sort((a, b) => b.mtime.getTime() - a.mtime.getTime())
  const entries: TarEntry[] = []
  for (const file of files.slice(0, maxFiles)) {
    const bytes = await tail(file.path, maxBytes).catch(() => null)
    if (bytes) entries.push({ name: `logs/${file.name}`, data: redactText(bytes.toString('utf8')), mtime: file.mtime })
  }
  return entries
}
