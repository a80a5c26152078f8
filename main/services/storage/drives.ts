import { constants } from 'node:fs'
import { access, lstat, readdir, readFile } from 'node:fs/promises'
import { basename, join, sep } from 'node:path'
import type { RemovableDrive } from '../../../common/operations'
import { diskSpace } from '../platform/disk'

/**
 * The drives a supervisor can put an offline bundle (or a diagnostics export) on: the USB sticks and cards the OS
 * has mounted, so staff pick "KINGSTON (14,2 GB bebas)" instead of typing /media/posko/KINGSTON on a touch screen.
 *
 * Linux: entries of /proc/mounts under the folders desktops mount removable media in (/media, /run/media, /mnt).
 * macOS: /Volumes (but the start-up disk, which is a symlink to /). Windows: drive letters other than the
 * system drive. Nothing here needs privileges or native code; a drive the OS does not show is typed as a path.
 */
export interface DriveFinderOptions {
  platform?: NodeJS.Platform
  /** Linux: the mount table to read. */
  mountsFile?: string
  /** Linux and macOS: where removable media are mounted. */
  roots?: readonly string[]
  /** Windows: the drive letters to try (default D–Z), and the system drive to leave out. */
  letters?: readonly string[]
  systemDrive?: string
}

const LINUX_ROOTS = ['/media', '/run/media', '/mnt']
/** Filesystems of sticks and cards (and of the odd ext4-formatted stick); not tmpfs, proc, overlay, … */
const REMOVABLE_TYPES = new Set(['vfat', 'exfat', 'ntfs', 'ntfs3', 'fuseblk', 'msdos', 'ext2', 'ext3', 'ext4', 'btrfs', 'xfs', 'f2fs', 'hfsplus', 'udf', 'iso9660'])

/** /proc/mounts escapes space, tab, newline and backslash as octal (\040 …). */
const unescapeMount = (field: string) => field.replace(/\\([0-7]{3})/g, (_m, octal: string) => String.fromCharCode(parseInt(octal, 8)))

const isUnder = (path: string, root: string) => path.startsWith(root.endsWith(sep) ? root : `${root}${sep}`)

async function linuxMountPoints(options: DriveFinderOptions): Promise<string[]> {
  let table: string
  try {
    table = await readFile(options.mountsFile ?? '/proc/mounts', 'utf8')
  } catch {
    return []
  }
  const roots = options.roots ?? LINUX_ROOTS
  return table
    .split('\n')
    .map((line) => line.split(' '))
    .filter((f) => f.length >= 3 && REMOVABLE_TYPES.has(f[2]!))
    .map((f) => unescapeMount(f[1]!))
    .filter((mount) => roots.some((root) => isUnder(mount, root)))
}

async function macVolumes(options: DriveFinderOptions): Promise<string[]> {
  const roots = options.roots ?? ['/Volumes']
  const found: string[] = []
  for (const root of roots) {
    const names = await readdir(root).catch(() => [] as string[])
    for (const name of names) {
      const path = join(root, name)
      // The start-up disk appears in /Volumes as a symlink to /.
      if ((await lstat(path).catch(() => null))?.isDirectory()) found.push(path)
    }
  }
  return found
}

async function windowsDrives(options: DriveFinderOptions): Promise<string[]> {
  const system = (options.systemDrive ?? process.env.SystemDrive ?? 'C:').toUpperCase()
  const letters = options.letters ?? 'DEFGHIJKLMNOPQRSTUVWXYZ'.split('')
  const found: string[] = []
  for (const letter of letters) {
    const path = `${letter}:\\`
    if (`${letter}:`.toUpperCase() === system) continue
    if (await access(path).then(() => true, () => false)) found.push(path)
  }
  return found
}

async function mountPoints(options: DriveFinderOptions): Promise<string[]> {
  switch (options.platform ?? process.platform) {
    case 'linux':
      return linuxMountPoints(options)
    case 'darwin':
      return macVolumes(options)
    case 'win32':
      return windowsDrives(options)
    default:
      return []
  }
}

/** The mounted removable drives, each once, with free space and whether this kiosk may write there. */
export async function listRemovableDrives(options: DriveFinderOptions = {}): Promise<RemovableDrive[]> {
  const paths = [...new Set(await mountPoints(options))].sort()
  return Promise.all(
    paths.map(async (path) => {
      const space = await diskSpace(path)
      const writable = await access(path, constants.W_OK).then(() => true, () => false)
      return { path, label: basename(path) || path, freeBytes: space.freeBytes, totalBytes: space.totalBytes, writable }
    }),
  )
}
