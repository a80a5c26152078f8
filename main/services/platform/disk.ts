import { statfs } from 'node:fs/promises'
import type { DiskSpace } from '../../../common/operations'
import { DomainError } from '../../../common/result'

/** Free and total bytes of the filesystem holding `dir`, for an unprivileged user; nulls if the OS won't say. */
export async function diskSpace(dir: string): Promise<DiskSpace> {
  try {
    const s = await statfs(dir)
    return { path: dir, freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize }
  } catch {
    return { path: dir, freeBytes: null, totalBytes: null }
  }
}

const errorCode = (error: unknown): unknown => (error as { code?: unknown } | null)?.code
const FILESYSTEM_FULL = new Set(['ENOSPC', 'EDQUOT'])
const NOT_WRITABLE = new Set(['EROFS', 'EACCES', 'EPERM'])

/** SQLite's SQLITE_FULL, or the OS's ENOSPC/EDQUOT from a file write. */
export function isDiskFull(error: unknown): boolean {
  const code = errorCode(error)
  return code === 'SQLITE_FULL' || FILESYSTEM_FULL.has(code as string)
}

/**
 * A write to a drive staff chose (a USB stick) that failed in a way they can act on, in those words: the drive is
 * full, or it cannot be written to (write-protected, read-only). Null for any other failure.
 */
export function driveWriteRefusal(error: unknown): DomainError | null {
  const code = errorCode(error) as string
  if (FILESYSTEM_FULL.has(code)) return new DomainError('unavailable', 'the drive is full', { reason: 'disk_full' })
  if (NOT_WRITABLE.has(code)) return new DomainError('invalid_input', 'the drive cannot be written to', { reason: 'not_writable' })
  return null
}
