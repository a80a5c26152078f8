import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { listBundles } from '../../main/services/bundle'
import { listRemovableDrives } from '../../main/services/storage/drives'
import { makeValidRecords } from '../central/fixtures'
import { enrolledKiosk, SURABAYA_POST } from './bundle-kit'
import { demoCentral, tempDir } from './helpers'

/** A folder standing in for /media with two sticks "mounted" in it, and a mount table that says so. */
function mediaRoot() {
  const root = tempDir('posko-media-')
  const kingston = join(root, 'posko', 'KINGSTON')
  const spaced = join(root, 'posko', 'DATA POSKO')
  mkdirSync(kingston, { recursive: true })
  mkdirSync(spaced, { recursive: true })
  const mounts = join(tempDir('posko-mounts-'), 'mounts')
  writeFileSync(
    mounts,
    [
      'proc /proc proc rw,nosuid 0 0',
      'tmpfs /run tmpfs rw 0 0',
      `/dev/vda1 / ext4 rw,relatime 0 0`,
      `/dev/sdb1 ${kingston} vfat rw,nosuid,nodev,uid=1000 0 0`,
      // /proc/mounts writes a space in a path as \040.
      `/dev/sdc1 ${spaced.replace(/ /g, '\\040')} exfat rw 0 0`,
      // A tmpfs under the root is not a stick.
      `tmpfs ${join(root, 'scratch')} tmpfs rw 0 0`,
      `/dev/sdd1 /elsewhere/CARD vfat rw 0 0`,
    ].join('\n'),
  )
  return { root, kingston, spaced, mounts }
}

describe('removable drives', () => {
  it('on Linux: the sticks of the mount table under the media folders, with free space and writability', async () => {
    const { root, kingston, spaced, mounts } = mediaRoot()
    const drives = await listRemovableDrives({ platform: 'linux', mountsFile: mounts, roots: [root] })
    expect(drives.map((d) => ({ path: d.path, label: d.label, writable: d.writable }))).toEqual([
      { path: spaced, label: 'DATA POSKO', writable: true },
      { path: kingston, label: 'KINGSTON', writable: true },
    ])
    for (const drive of drives) {
      expect(drive.freeBytes).toBeGreaterThan(0)
      expect(drive.totalBytes).toBeGreaterThanOrEqual(drive.freeBytes!)
    }
  })

  it('no mount table (or no stick in it) is an empty list, not an error', async () => {
    expect(await listRemovableDrives({ platform: 'linux', mountsFile: join(tempDir(), 'absent') })).toEqual([])
    const { mounts } = mediaRoot()
    expect(await listRemovableDrives({ platform: 'linux', mountsFile: mounts, roots: ['/nowhere'] })).toEqual([])
  })

  it('on macOS: the folders of /Volumes, but the start-up disk (a symlink to /)', async () => {
    const volumes = tempDir('posko-volumes-')
    mkdirSync(join(volumes, 'SANDISK'))
    symlinkSync('/', join(volumes, 'Macintosh HD'))
    const drives = await listRemovableDrives({ platform: 'darwin', roots: [volumes] })
    expect(drives.map((d) => d.label)).toEqual(['SANDISK'])
  })

  it('on Windows: drive letters that answer, but the system drive', async () => {
    // Letters are tried as "X:\"; none exist here, so the answer is empty rather than an error.
    expect(await listRemovableDrives({ platform: 'win32', letters: ['C', 'E'], systemDrive: 'C:' })).toEqual([])
  })
})

describe('bundles on a drive', () => {
  it('lists the bundles at the top of a folder from their headers, newest first; other files are left out', async () => {
    const { central } = await demoCentral()
    const kiosk = await enrolledKiosk(central, SURABAYA_POST)
    const usb = tempDir('posko-usb-')
    kiosk.queue(makeValidRecords(3, SURABAYA_POST))
    const first = await kiosk.bundles.exportBundle({ directory: usb })
    kiosk.queue(makeValidRecords(2, SURABAYA_POST, { start: 10 }))
    const second = await kiosk.bundles.exportBundle({ directory: usb })
    writeFileSync(join(usb, 'notes.txt'), 'not a bundle')
    writeFileSync(join(usb, 'fake.pkb'), 'not a bundle either')
    writeFileSync(join(usb, `.posko-${first.bundleId}.pkb.tmp`), 'a half-written one')
    mkdirSync(join(usb, 'folder.pkb'))

    const bundles = await listBundles(usb)
    expect(bundles.map((b) => b.bundleId)).toEqual([second.bundleId, first.bundleId])
    expect(bundles.find((b) => b.bundleId === first.bundleId)).toEqual({
      file: first.file,
      bundleId: first.bundleId,
      postId: SURABAYA_POST,
      createdAt: expect.any(String),
      records: 3,
      photos: 0,
      bytes: first.bytes,
    })
    // The second export took the 3 records again (still not uploaded) and the 2 new ones.
    expect(bundles.find((b) => b.bundleId === second.bundleId)?.records).toBe(5)
  })

  it('a folder that is not there is a typed error with the reason staff read', async () => {
    await expect(listBundles(join(tempDir(), 'unplugged'))).rejects.toMatchObject({ code: 'invalid_input', details: { reason: 'directory' } })
  })
})
