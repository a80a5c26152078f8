import { statfs } from 'node:fs/promises'
import type { DiskSpace } from '../../../common/operations'

/** Free and total bytes of the filesystem holding `dir`, for an unprivileged user; nulls if the OS won't say. */
export async function diskSpace(dir: string): Promise<DiskSpace> {
  try {
    const s = await statfs(dir)
    return { path: dir, freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize }
  } catch {
    return { path: dir, freeBytes: null, totalBytes: null }
  }
}

/** SQLite's SQLITE_FULL, or the OS's ENOSPC/EDQUOT from a file write. */
export function isDiskFull(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT'
}
