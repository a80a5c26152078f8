import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { makeDraft, MARKERS, nikFor, SITI_NIK } from '../fixtures/drafts'
import { openKiosk } from './helpers'

/** Every form a marker could take on disk: as typed, as normalised, in the encodings SQLite and JSON use. */
function needles(values: string[]): Array<[string, Buffer]> {
  const forms = values.flatMap((v) => [v, v.toUpperCase(), v.toLowerCase()])
  return [...new Set(forms)].flatMap((v) => [
    [`utf8 ${v}`, Buffer.from(v, 'utf8')] as [string, Buffer],
    [`utf16le ${v}`, Buffer.from(v, 'utf16le')] as [string, Buffer],
    [`utf16be ${v}`, Buffer.from(v, 'utf16le').swap16()] as [string, Buffer],
  ])
}

function leaks(dataDir: string, values: string[]): string[] {
  const found: string[] = []
  for (const name of ['posko.db', 'posko.db-wal', 'posko.db-shm']) {
    const file = join(dataDir, name)
    if (!existsSync(file)) continue
    const bytes = readFileSync(file)
    for (const [label, needle] of needles(values)) if (bytes.includes(needle)) found.push(`${name}: ${label}`)
  }
  return found
}

describe('no plaintext personal data on disk', () => {
  const personal = [SITI_NIK, MARKERS.name, 'MARKERNAMA', MARKERS.phoneE164, '81298765432', MARKERS.email, 'markermail', 'Markerjalan']

  it('the .db, -wal and -shm files hold no NIK, name, phone, email or street of submitted, edited and searched-for records', async () => {
    const { kiosk, dataDir, close } = openKiosk()
    const receipt = await kiosk.call('registration.submit', { draft: makeDraft() })
    for (let i = 0; i < 50; i++) await kiosk.call('registration.submit', { draft: makeDraft({ nik: nikFor(i + 100), email: null }) })
    if (!receipt.ok) throw new Error('submit failed')
    const { id } = receipt.value as { id: string }
    await kiosk.call('registration.update', { id, draft: makeDraft({ birthPlace: 'Markerkota' }) })
    await kiosk.call('registration.find', { query: SITI_NIK })
    // Name and phone are in the keyed search index (migration 012): as tokens, never as text.
    for (const query of ['markernama', MARKERS.phoneLocal]) {
      const found = await kiosk.call('registration.find', { query })
      expect(found.ok && (found.value as { results: unknown[] }).results.length, query).toBe(50)
    }
    await kiosk.call('registration.get', { id })

    // While open (data in the WAL) and after a checkpoint (data in the main file).
    expect(leaks(dataDir, [...personal, 'Markerkota'])).toEqual([])
    kiosk.store.checkpoint()
    expect(leaks(dataDir, [...personal, 'Markerkota'])).toEqual([])
    close()
    expect(leaks(dataDir, [...personal, 'Markerkota'])).toEqual([])
  })

  it('a parked draft (issue 19.2) is sealed like a record: its form is nowhere in the files, before or after resuming', async () => {
    const { kiosk, dataDir } = openKiosk()
    const parked = await kiosk.call('drafts.park', { form: { ...makeDraft(), birthPlace: 'Markerkota' }, step: 'contact', photos: [] })
    if (!parked.ok) throw new Error('park failed')
    kiosk.store.checkpoint()
    expect(leaks(dataDir, [...personal, 'Markerkota'])).toEqual([])
    await kiosk.call('drafts.resume', { id: (parked.value as { id: string }).id })
    kiosk.store.checkpoint()
    expect(leaks(dataDir, [...personal, 'Markerkota'])).toEqual([])
  })

  it('the scanner does find a marker that is on disk (the test can fail)', async () => {
    const { kiosk, dataDir } = openKiosk()
    kiosk.store.plantSetting('leak', MARKERS.email)
    expect(leaks(dataDir, [MARKERS.email])).not.toEqual([])
  })
})
