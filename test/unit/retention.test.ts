import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { PhotoVerdict } from '../../common/photos'
import type { DayReport, Receipt } from '../../common/records'
import type { Result } from '../../common/result'
import { makeDraft, MARKERS, nikFor, SITI_NIK } from '../fixtures/drafts'
import { openKiosk, tempDir } from './helpers'

function value<T>(result: Result<unknown>): T {
  if (!result.ok) throw new Error(JSON.stringify(result.error))
  return result.value as T
}


function fileHas(dataDir: string, needle: Buffer): string[] {
  return ['posko.db', 'posko.db-wal', 'posko.db-shm'].filter((f) => existsSync(join(dataDir, f)) && readFileSync(join(dataDir, f)).includes(needle))
}

describe('retention purge', () => {
  it('also erases what never reached central: rejected and never fixed, or held for a review that never came, after N days', async () => {
    let now = new Date('2026-11-01T03:00:00Z')
    const dataDir = tempDir()
    const applicant = openKiosk({ dataDir, role: null, now: () => now, config: { mode: 'self-service', selfServiceReview: true, retentionDays: 7 } })
    const heldOld = value<Receipt>(await applicant.kiosk.call('registration.submit', { draft: makeDraft({ nik: nikFor(21) }) }))
    now = new Date('2026-11-08T03:00:00Z')
    const heldRecent = value<Receipt>(await applicant.kiosk.call('registration.submit', { draft: makeDraft({ nik: nikFor(22) }) }))
    applicant.close()

    now = new Date('2026-11-01T04:00:00Z')
    const { kiosk } = openKiosk({ dataDir, now: () => now, config: { mode: 'self-service', selfServiceReview: true, retentionDays: 7 } })
    const rejectedOld = value<Receipt>(await kiosk.call('registration.submit', { draft: makeDraft({ nik: nikFor(23) }) }))
    const rejectedRecent = value<Receipt>(await kiosk.call('registration.submit', { draft: makeDraft({ nik: nikFor(24) }) }))
    kiosk.store.markRejected(rejectedOld.id, [{ path: ['phone'], message: 'validation.phone' }])
    now = new Date('2026-11-07T03:00:00Z')
    // Fixed (and rejected again) recently: its clock starts over.
    expect(await kiosk.call('registration.update', { id: rejectedRecent.id, draft: makeDraft({ nik: nikFor(24), fullName: 'Budi Fixed' }) })).toMatchObject({ ok: true })
    kiosk.store.markRejected(rejectedRecent.id, [{ path: ['phone'], message: 'validation.phone' }])

    now = new Date('2026-11-10T03:00:00Z')
    expect(value(await kiosk.call('retention.purge'))).toMatchObject({ records: 2 })
    const state = (id: string) => kiosk.store.record(id)?.state
    expect([state(heldOld.id), state(rejectedOld.id)]).toEqual(['purged', 'purged'])
    expect([state(heldRecent.id), state(rejectedRecent.id)]).toEqual(['queued', 'rejected'])
    // Nothing of the purged held record is left to upload.
    expect(kiosk.store.outbox().map((o) => o.recordId)).not.toContain(heldOld.id)
    expect(kiosk.store.outbox().find((o) => o.recordId === heldRecent.id)?.held).toBe(true)
    expect(kiosk.store.records().filter((r) => r.erased).map((r) => r.id).sort()).toEqual([heldOld.id, rejectedOld.id].sort())
  })

  it('erases personal fields and photos of records central accepted more than N days ago; the bytes leave the files', async () => {
    let now = new Date('2026-11-01T03:00:00Z')
    const { kiosk } = openKiosk({ now: () => now, config: { retentionDays: 7 } })
    const face = value<PhotoVerdict>(await kiosk.call('photo.process', { kind: 'face', jpegBase64: readFileSync(resolve('test/fixtures/photos/good-face.jpg')).toString('base64') }))
    const card = value<PhotoVerdict>(await kiosk.call('photo.process', { kind: 'card', jpegBase64: readFileSync(resolve('test/fixtures/photos/card-ktp.jpg')).toString('base64') }))
    const old = value<Receipt>(await kiosk.call('registration.submit', { draft: makeDraft({ photos: { face: { sha256: face.sha256! }, card: { sha256: card.sha256! } } }) }))
    const recent = value<Receipt>(await kiosk.call('registration.submit', { draft: makeDraft({ nik: nikFor(9), fullName: 'Budi Recentmarker' }) }))
    const pending = value<Receipt>(await kiosk.call('registration.submit', { draft: makeDraft({ nik: nikFor(10), fullName: 'Queued Stillhere' }) }))
    kiosk.store.markAccepted(old.id, 'C-1', '2026-11-02T00:00:00.000Z')
    kiosk.store.markAccepted(recent.id, 'C-2', '2026-11-09T00:00:00.000Z')
    kiosk.store.clearOutbox()

    now = new Date('2026-11-10T03:00:00Z')
    expect(value(await kiosk.call('retention.purge'))).toEqual({ records: 1, photos: 2 })

    const rows = kiosk.store.records().map((r) => ({ id: r.id, state: r.state, erased: Number(r.erased), unhashed: Number(r.unhashed), receipt_no: r.receiptNo }))
    expect(rows).toEqual([
      { id: old.id, state: 'purged', erased: 1, unhashed: 1, receipt_no: old.receiptNo },
      { id: recent.id, state: 'accepted', erased: 0, unhashed: 0, receipt_no: recent.receiptNo },
      { id: pending.id, state: 'queued', erased: 0, unhashed: 0, receipt_no: pending.receiptNo },
    ])
    expect(await kiosk.call('registration.get', { id: old.id })).toMatchObject({ ok: false, error: { code: 'not_found' } })
    // The purged NIK may register again (a new application after the old one is done at central).
    expect((await kiosk.call('registration.submit', { draft: makeDraft() })).ok).toBe(true)
    expect(kiosk.audit.list({ action: 'purge' })).toMatchObject([{ actor: 'sup-1', details: '{"photos":2,"records":1,"retention_days":7}' }])
    expect(value(await kiosk.call('queue.status'))).toMatchObject({ counts: { purged: 1 } })
  })

  it('after a purge no NIK, name, phone, email or photo bytes of the purged record remain in .db, -wal or -shm', async () => {
    let now = new Date('2026-11-01T03:00:00Z')
    const { kiosk, dataDir, close } = openKiosk({ now: () => now, config: { retentionDays: 0, requirePhotos: true } })
    const faceBytes = readFileSync(resolve('test/fixtures/photos/good-face.jpg')).toString('base64')
    const face = value<PhotoVerdict>(await kiosk.call('photo.process', { kind: 'face', jpegBase64: faceBytes }))
    const card = value<PhotoVerdict>(await kiosk.call('photo.process', { kind: 'card', jpegBase64: readFileSync(resolve('test/fixtures/photos/card-ktp.jpg')).toString('base64') }))
    const receipt = value<Receipt>(await kiosk.call('registration.submit', { draft: makeDraft({ photos: { face: { sha256: face.sha256! }, card: { sha256: card.sha256! } } }) }))
    kiosk.store.markAccepted(receipt.id, 'C-1', '2026-11-01T03:00:00.000Z')
    // Read the sealed blobs before the purge: those exact bytes must be gone afterwards.
    const sealedRecord = kiosk.store.sealedRecord(receipt.id)!
    const sealedPhoto = kiosk.store.sealedPhoto(face.sha256!)!
    const nikHash = kiosk.store.nikHmac(receipt.id)!
    const before = fileHas(dataDir, sealedRecord.subarray(40, 104)).length + fileHas(dataDir, sealedPhoto.subarray(1000, 1064)).length
    expect(before, 'the scanner sees the data before the purge').toBeGreaterThan(0)

    now = new Date('2026-11-02T03:00:00Z')
    expect(value(await kiosk.call('retention.purge'))).toEqual({ records: 1, photos: 2 })
    close()
    for (const needle of [sealedRecord.subarray(40, 104), sealedPhoto.subarray(1000, 1064), nikHash, Buffer.from(SITI_NIK), Buffer.from(MARKERS.name), Buffer.from(MARKERS.email)]) {
      expect(fileHas(dataDir, needle)).toEqual([])
    }
  })
})

describe('day report', () => {
  it('counts per operator, per hour, by state, overrides and rejections, with no personal data', async () => {
    const now = new Date(2026, 10, 25, 9, 30)
    const { kiosk } = openKiosk({ now: () => now })
    for (let i = 0; i < 3; i++) value(await kiosk.call('registration.submit', { draft: makeDraft({ nik: nikFor(i) }) }))
    const [first] = kiosk.store.records().map((r) => r.id).sort()
    kiosk.store.markRejected(first!, [{ path: ['phone'], message: 'validation.phone' }])
    const report = value<DayReport>(await kiosk.call('report.day', { date: '2026-11-25' }))
    expect(report).toMatchObject({
      date: '2026-11-25',
      total: 3,
      selfService: 0,
      photoOverrides: 0,
      perOperator: [{ operatorId: 'sup-1', count: 3 }],
      byState: { queued: 2, rejected: 1 },
      rejectionsByReason: [{ reason: 'validation.phone', count: 1 }],
    })
    expect(report.perHour[9]).toEqual({ hour: 9, count: 3 })
    expect(JSON.stringify(report)).not.toMatch(/SITI|357801|\+62|@/)
    expect(value<DayReport>(await kiosk.call('report.day', { date: '2026-11-24' })).total).toBe(0)
  })
})
