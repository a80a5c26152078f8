import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { PhotoVerdict } from '../../common/photos'
import type { Receipt, RegistrationView } from '../../common/records'
import type { Result } from '../../common/result'
import { makeDraft } from '../fixtures/drafts'
import { demoCentral, manualClock, openKiosk } from './helpers'

const fixture = (name: string) => readFileSync(resolve('test/fixtures/photos', name)).toString('base64')

function value<T>(result: Result<unknown>): T {
  if (!result.ok) throw new Error(JSON.stringify(result.error))
  return result.value as T
}

type KioskHandle = ReturnType<typeof openKiosk>['kiosk']

async function photo(kiosk: KioskHandle, kind: 'face' | 'card', name: string): Promise<PhotoVerdict> {
  return value<PhotoVerdict>(await kiosk.call('photo.process', { kind, jpegBase64: fixture(name) }))
}

describe('photos no record claims', () => {
  it('are erased a day after they were taken by the retention rounds, with no restart in between', async () => {
    const clock = manualClock()
    const { kiosk } = openKiosk({ clock, now: () => new Date(clock.now()), retentionSchedule: true })
    const retake = await photo(kiosk, 'card', 'card-ktp.jpg')
    expect(kiosk.store.photos().map((p) => p.sha256)).toEqual([retake.sha256])
    // A draft still being filled keeps its photo for a day.
    clock.advance(18 * 60 * 60 * 1000)
    expect(kiosk.store.count('photos')).toBe(1)
    clock.advance(12 * 60 * 60 * 1000)
    expect(kiosk.store.count('photos')).toBe(0)
  })
})

describe('photos in the registration', () => {
  it('processes a good face and a KTP: pass, a reference, a preview; stored sealed, never in the clear', async () => {
    const { kiosk, dataDir } = openKiosk({ config: { requirePhotos: true } })
    const face = await photo(kiosk, 'face', 'good-face.jpg')
    const card = await photo(kiosk, 'card', 'card-ktp.jpg')
    expect(face).toMatchObject({ kind: 'face', verdict: 'pass', width: 480, height: 640, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) })
    expect(card).toMatchObject({ kind: 'card', verdict: 'pass', width: 1000 })
    expect(face.preview.startsWith('data:image/jpeg;base64,/9j/')).toBe(true)

    const receipt = value<Receipt>(
      await kiosk.call('registration.submit', { draft: makeDraft({ photos: { face: { sha256: face.sha256! }, card: { sha256: card.sha256! } } }) }),
    )
    expect(kiosk.store.photos().filter((p) => p.recordId === receipt.id)).toHaveLength(2)
    kiosk.store.checkpoint()
    const jpeg = Buffer.from(face.preview.split(',')[1]!, 'base64')
    const probe = jpeg.subarray(Math.floor(jpeg.length / 2), Math.floor(jpeg.length / 2) + 48)
    for (const file of ['posko.db', 'posko.db-wal']) {
      const path = join(dataDir, file)
      if (existsSync(path)) expect(readFileSync(path).includes(probe), file).toBe(false)
    }
  })

  it('refuses a registration without the required photos, naming the missing ones', async () => {
    const { kiosk } = openKiosk({ config: { requirePhotos: true } })
    const result = await kiosk.call('registration.submit', { draft: makeDraft() })
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'invalid_input',
        issues: [
          { path: ['photos', 'face'], message: 'validation.photo_required' },
          { path: ['photos', 'card'], message: 'validation.photo_required' },
        ],
      },
    })
    expect(kiosk.store.count('registrations')).toBe(0)
  })

  it('blocks a failed face photo unless staff override it with a reason, which is audited and flagged', async () => {
    const { kiosk } = openKiosk({ config: { requirePhotos: true } })
    const noFace = await photo(kiosk, 'face', 'no-face.jpg')
    expect(noFace.verdict).toBe('fail')
    expect(noFace.checks.find((c) => c.id === 'face_count')).toMatchObject({ ok: false, value: 0 })
    const card = await photo(kiosk, 'card', 'card-ktp.jpg')

    const blocked = await kiosk.call('registration.submit', { draft: makeDraft({ photos: { face: { sha256: noFace.sha256! }, card: { sha256: card.sha256! } } }) })
    expect(blocked).toMatchObject({ ok: false, error: { code: 'invalid_input', issues: [{ path: ['photos', 'face'], message: 'validation.photo_failed' }] } })

    const receipt = value<Receipt>(
      await kiosk.call('registration.submit', {
        draft: makeDraft({ photos: { face: { sha256: noFace.sha256!, overrideCode: 'other', overrideReason: 'Kamera rusak, wajah terlihat jelas' }, card: { sha256: card.sha256! } } }),
      }),
    )
    expect(kiosk.store.record(receipt.id)?.photoOverride).toBe(true)
    // The reason chosen from the list, never the words typed (free text stays in the sealed record).
    expect(kiosk.audit.list({ action: 'photo_override' }).map((r) => [r.record_id, r.details, r.actor])).toEqual([[receipt.id, '{"kind":"face","reason":"other"}', 'sup-1']])
    const view = value<RegistrationView>(await kiosk.call('registration.get', { id: receipt.id }))
    expect(view.record.photos.face?.overrideReason).toBe('Kamera rusak, wajah terlihat jelas')
  })

  it('self-service cannot override a failed photo', async () => {
    const { kiosk } = openKiosk({ config: { requirePhotos: true, mode: 'self-service' }, role: null })
    const noFace = await photo(kiosk, 'face', 'no-face.jpg')
    const card = await photo(kiosk, 'card', 'card-ktp.jpg')
    const result = await kiosk.call('registration.submit', {
      draft: makeDraft({ photos: { face: { sha256: noFace.sha256!, overrideReason: 'saya yakin' }, card: { sha256: card.sha256! } } }),
    })
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input', issues: [{ path: ['photos', 'face', 'overrideReason'], message: 'validation.photo_override_not_allowed' }] } })
  })

  it('thumbnails: staff see any stored photo; an applicant at a self-service kiosk only photos no record has claimed', async () => {
    const { kiosk } = openKiosk({ config: { requirePhotos: true, mode: 'self-service' }, role: null })
    const face = await photo(kiosk, 'face', 'good-face.jpg')
    const card = await photo(kiosk, 'card', 'card-ktp.jpg')
    const preview = value<{ preview: string }>(await kiosk.call('photo.preview', { sha256: face.sha256! }))
    expect(preview.preview).toBe(face.preview)
    value(await kiosk.call('registration.submit', { draft: makeDraft({ photos: { face: { sha256: face.sha256! }, card: { sha256: card.sha256! } } }) }))
    // Claimed by a stored registration now: not for whoever stands at the kiosk next.
    expect(await kiosk.call('photo.preview', { sha256: face.sha256! })).toMatchObject({ ok: false, error: { code: 'not_found' } })
    expect(await kiosk.call('photo.preview', { sha256: 'a'.repeat(64) })).toMatchObject({ ok: false, error: { code: 'not_found' } })
    await kiosk.sessions.createOperator({ operatorId: 'sup-1', name: 'Sup', role: 'supervisor', pin: '246813' })
    await kiosk.sessions.signIn('sup-1', '246813')
    expect(value<{ preview: string }>(await kiosk.call('photo.preview', { sha256: face.sha256! })).preview).toBe(face.preview)
  })

  it('refuses a photo reference this kiosk never processed, or of the wrong kind', async () => {
    const { kiosk } = openKiosk({ config: { requirePhotos: true } })
    const card = await photo(kiosk, 'card', 'card-ktp.jpg')
    const result = await kiosk.call('registration.submit', { draft: makeDraft({ photos: { face: { sha256: card.sha256! }, card: { sha256: 'a'.repeat(64) } } }) })
    expect(result).toMatchObject({
      ok: false,
      error: {
        issues: [
          { path: ['photos', 'face', 'sha256'], message: 'validation.photo_unknown' },
          { path: ['photos', 'card', 'sha256'], message: 'validation.photo_unknown' },
        ],
      },
    })
  })

  it.each([
    ['not base64', { kind: 'face', jpegBase64: '***' }],
    ['too large', { kind: 'face', jpegBase64: 'A'.repeat(12 * 1024 * 1024) }],
    ['an unknown kind', { kind: 'selfie', jpegBase64: fixture('good-face.jpg') }],
  ])('photo.process refuses %s with invalid_input and stores nothing', async (_label, input) => {
    const { kiosk } = openKiosk()
    expect(await kiosk.call('photo.process', input)).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    expect(kiosk.store.count('photos')).toBe(0)
  })

  it('random bytes are not a photo', async () => {
    const { kiosk } = openKiosk()
    const result = await kiosk.call('photo.process', { kind: 'card', jpegBase64: Buffer.from('not an image at all, just text').toString('base64') })
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
  })

  it('uploads photos before the records that reference them; central accepts both', async () => {
    const { central: c, token } = await demoCentral()
    const { kiosk } = openKiosk({ config: { requirePhotos: true, centralUrl: c.url }, centralToken: token, upload: { clock: manualClock() } })
    const face = await photo(kiosk, 'face', 'good-face.jpg')
    const card = await photo(kiosk, 'card', 'card-ktp.jpg')
    const receipt = value<Receipt>(
      await kiosk.call('registration.submit', { draft: makeDraft({ photos: { face: { sha256: face.sha256! }, card: { sha256: card.sha256! } } }) }),
    )
    await kiosk.uploader.runOnce()
    expect(value<RegistrationView>(await kiosk.call('registration.get', { id: receipt.id })).state).toBe('accepted')
    expect(c.stats()).toMatchObject({ photos: 2, accepted: 1 })
    expect(kiosk.store.count('photo_uploads')).toBe(2)
  })

  const hasFswebcam = spawnSync('sh', ['-c', 'command -v fswebcam'], { stdio: 'ignore' }).status === 0
  it.skipIf(!hasFswebcam)('photo.capture takes a frame from fswebcam (TEST device) and processes it', async () => {
    const { kiosk } = openKiosk({ config: { camera: { source: 'main', device: 'TEST' } } })
    const verdict = value<PhotoVerdict>(await kiosk.call('photo.capture', { kind: 'card' }))
    expect(verdict.sha256).toMatch(/^[0-9a-f]{64}$/)
    expect(verdict.width).toBe(1000)
    expect(kiosk.store.photos().find((p) => p.sha256 === verdict.sha256)?.kind).toBe('card')
  })
})
