import { readdir, stat } from 'node:fs/promises'
import { isAbsolute, join } from 'node:path'
import type { BundleOnDrive } from '../../../common/operations'
import { DomainError } from '../../../common/result'
import { BUNDLE_EXTENSION } from './format'
import { readBundleHeader } from './reader'

/**
 * The bundles at the top of a folder (where export writes them), newest first, each described by its readable
 * header: whose it is, when it was made, how many records. A file that is not a bundle, or a half-written `.tmp`,
 * is left out; import still checks everything about the one staff pick.
 */
export async function listBundles(directory: string): Promise<BundleOnDrive[]> {
  if (!isAbsolute(directory)) throw new DomainError('invalid_input', 'the folder must be an absolute path', { reason: 'directory' })
  const entries = await readdir(directory, { withFileTypes: true }).catch(() => null)
  if (!entries) throw new DomainError('invalid_input', 'the folder cannot be read', { reason: 'directory' })
  const found = await Promise.all(
    entries
      .filter((e) => e.isFile() && e.name.toLowerCase().endsWith(BUNDLE_EXTENSION) && !e.name.startsWith('.'))
      .map(async (e): Promise<BundleOnDrive | null> => {
        const file = join(directory, e.name)
        try {
          const [header, info] = await Promise.all([readBundleHeader(file), stat(file)])
          return { file, bundleId: header.bundleId, postId: header.postId, createdAt: header.createdAt, records: header.records, photos: header.photos, bytes: info.size }
        } catch {
          return null
        }
      }),
  )
  return found.filter((b): b is BundleOnDrive => b !== null).sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.file.localeCompare(b.file))
}
