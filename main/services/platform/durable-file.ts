import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs'
import type { FileHandle } from 'node:fs/promises'
import { open, rename, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

/**
 * Every file Posko needs after a power cut (the vault key, its sealed form, config.json, bundles, diagnostics,
 * backups) is written here and nowhere else (a lint rule keeps rename and writeFile out of other services): a temp
 * file in the same directory, fsync, rename over the target, fsync the directory. A cut at any moment leaves the old
 * file or the new one, never half of either, and once this returns the new one survives the cut.
 */
export function writeFileDurable(file: string, data: string | Uint8Array, mode = 0o600): void {
  const tmp = tempName(file)
  const fd = openSync(tmp, 'wx', mode)
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

/**
 * The same for a large file written in pieces (a bundle, a diagnostics archive): `write` fills the temp file
 * through its handle; only a complete, synced file takes the target's name. Anything thrown removes the temp file.
 */
export async function writeFileDurableStreamed(file: string, write: (handle: FileHandle) => Promise<void>, mode = 0o600): Promise<void> {
  const tmp = tempName(file)
  const handle = await open(tmp, 'wx', mode)
  try {
    await write(handle)
    await handle.sync()
    await handle.close()
  } catch (error) {
    await handle.close().catch(() => undefined)
    await rm(tmp, { force: true })
    throw error
  }
  try {
    await rename(tmp, file)
  } catch (error) {
    await rm(tmp, { force: true })
    throw error
  }
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

/** Beside the target (a rename never crosses filesystems), unique per process, ignored by anything reading `*.json`. */
function tempName(file: string): string {
  return join(dirname(file), `.${basename(file)}.${process.pid}.${Date.now().toString(36)}.tmp`)
}

/**
 * Moves files (a damaged database with its -wal and -shm) into `folder` as they are, never copying or deleting:
 * rename within one directory tree, then fsync both directories so the move survives a power cut. Missing files
 * are skipped (a database closed cleanly has no -wal). Returns the names moved.
 */
export function moveAsideDurable(files: readonly string[], folder: string): string[] {
  mkdirSync(folder, { recursive: true, mode: 0o700 })
  const moved: string[] = []
  for (const file of files) {
    if (!existsSync(file)) continue
    renameSync(file, join(folder, basename(file)))
    moved.push(basename(file))
  }
  syncDirectory(folder)
  for (const dir of new Set(files.map((f) => dirname(f)))) syncDirectory(dir)
  return moved
}
