import { describe, expect, it } from 'vitest'
import type { EventName } from '../../common/contract'
import { openKiosk } from './helpers'

describe('kiosk services', () => {
  it('app.info reports version, post (and its region, from the post id) and mode from config, Indonesian by default', async () => {
    const { kiosk } = openKiosk()
    expect(await kiosk.call('app.info')).toEqual({
      ok: true,
      value: { version: '9.9.9', postId: 'JT-3578-01', postName: 'Kota Surabaya', postRegion: { provinceCode: '35', regencyCode: '35.78' }, mode: 'assisted', language: 'id', cameraSource: 'renderer', ktpReader: false, requirePhotos: false, receiptPaper: 'a4', programmeTitle: 'Program Pelatihan Kerja', idle: { warnSeconds: 60, resetSeconds: 90 }, retentionDays: 7, clock: { status: 'ok' } },
    })
  })

  it('a language change is stored and survives a restart', async () => {
    const first = openKiosk()
    const seen: Array<[EventName, unknown]> = []
    await first.signedIn
    first.kiosk.events.subscribe((name, payload) => seen.push([name, payload]))
    const changed = await first.kiosk.call('settings.setLanguage', { language: 'en' })
    expect(changed).toMatchObject({ ok: true, value: { language: 'en' } })
    expect(seen).toEqual([['settings.changed', expect.objectContaining({ language: 'en' })]])
    first.close()

    const second = openKiosk({ dataDir: first.dataDir })
    expect(await second.kiosk.call('app.info')).toMatchObject({ ok: true, value: { language: 'en' } })
  })

  it('a refused language change leaves the stored language as it was', async () => {
    const { kiosk } = openKiosk({ config: { language: 'en' } })
    expect(await kiosk.call('settings.setLanguage', { language: 'jv' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    expect(await kiosk.call('app.info')).toMatchObject({ ok: true, value: { language: 'en' } })
  })

  it('queue.status lists every state with a count', async () => {
    const { kiosk } = openKiosk()
    const result = await kiosk.call('queue.status')
    expect(result).toEqual({
      ok: true,
      value: {
        counts: { queued: 0, uploading: 0, accepted: 0, duplicate: 0, rejected: 0, exported: 0, purged: 0 },
        total: 0,
        lastSyncAt: null,
        awaitingReview: 0,
      },
    })
  })
})
