import { describe, expect, it } from 'vitest'
import type { Receipt, RegistrationView, ValidationReport } from '../../common/records'
import type { Result } from '../../common/result'
import { makeDraft, MARKERS, nikFor, SITI_NIK } from '../fixtures/drafts'
import { openKiosk } from './helpers'

function value<T>(result: Result<unknown>): T {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.error)}`)
  return result.value as T
}

function tableCounts(kiosk: ReturnType<typeof openKiosk>['kiosk']) {
  const { count } = kiosk.store
  return { registrations: count('registrations'), outbox: count('outbox'), audit: count('audit') }
}

describe('registration.submit', () => {
  it('commits the record with its outbox row and answers a receipt', async () => {
    const { kiosk } = openKiosk()
    const receipt = value<Receipt>(await kiosk.call('registration.submit', { draft: makeDraft() }))
    expect(receipt.receiptNo).toMatch(/^JT-3578-01-\d{6}-0001$/)
    expect(receipt).toMatchObject({ state: 'queued', postId: 'JT-3578-01', postName: 'Kota Surabaya' })
    expect(receipt.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/)
    expect(tableCounts(kiosk)).toMatchObject({ registrations: 1, outbox: 1 })
    expect(value(await kiosk.call('queue.status'))).toMatchObject({ total: 1, counts: { queued: 1 } })
  })

  it('numbers receipts per day: 0001, 0002, … and restarts the next day', async () => {
    let now = new Date(2026, 10, 25, 9, 0)
    const { kiosk } = openKiosk({ now: () => now })
    const submit = async (i: number) => value<Receipt>(await kiosk.call('registration.submit', { draft: makeDraft({ nik: nikFor(i) }) })).receiptNo
    expect(await submit(1)).toBe('JT-3578-01-261125-0001')
    expect(await submit(2)).toBe('JT-3578-01-261125-0002')
    now = new Date(2026, 10, 26, 8, 0)
    expect(await submit(3)).toBe('JT-3578-01-261126-0001')
  })

  it('normalises what staff type: name upper-cased, phone to E.164, NIK without separators', async () => {
    const { kiosk } = openKiosk()
    const receipt = value<Receipt>(
      await kiosk.call('registration.submit', { draft: makeDraft({ nik: '3578 0141 0190 0003', fullName: '  siti   markernama zulaikha ' }) }),
    )
    const view = value<RegistrationView>(await kiosk.call('registration.get', { id: receipt.id }))
    expect(view.record).toMatchObject({ nik: SITI_NIK, fullName: MARKERS.name, phone: MARKERS.phoneE164, email: MARKERS.email })
  })

  it('refuses a second registration of the same NIK and names the first receipt', async () => {
    const { kiosk } = openKiosk()
    const first = value<Receipt>(await kiosk.call('registration.submit', { draft: makeDraft() }))
    const before = tableCounts(kiosk)
    const again = await kiosk.call('registration.submit', { draft: makeDraft({ nik: '3578.0141.0190.0003', fullName: 'Someone Else' }) })
    expect(again).toEqual({
      ok: false,
      error: { code: 'duplicate_nik', message: 'NIK already registered on this kiosk', details: { receiptNo: first.receiptNo } },
    })
    expect(tableCounts(kiosk)).toEqual(before)
  })

  it.each([
    ['a wrong type', { draft: { ...makeDraft(), nik: 3578014101900003 } }],
    ['an extra field', { draft: { ...makeDraft(), isAdmin: true } }],
    ['a bad NIK', { draft: makeDraft({ nik: '3578014101900000' }) }],
    ['a landline', { draft: makeDraft({ phone: '021-5551234' }) }],
    ['a 10 MB string', { draft: makeDraft({ fullName: 'A'.repeat(10 * 1024 * 1024) }) }],
    ['no consent', { draft: makeDraft({ consent: { dataProcessing: false, truthfulness: true, textVersion: 'x' } as never }) }],
    ['nothing', undefined],
  ])('refuses %s with invalid_input and writes nothing', async (_label, input) => {
    const { kiosk, signedIn } = openKiosk()
    await signedIn
    const before = tableCounts(kiosk)
    const result = await kiosk.call('registration.submit', input)
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    expect(tableCounts(kiosk)).toEqual(before)
    expect(before).toMatchObject({ registrations: 0, outbox: 0 })
  })
})

describe('registration.find and registration.get', () => {
  it('finds a record by NIK (any separators) and by receipt number (any case), without a plaintext NIK column', async () => {
    const { kiosk } = openKiosk()
    const receipt = value<Receipt>(await kiosk.call('registration.submit', { draft: makeDraft() }))
    const results = [{ id: receipt.id, receiptNo: receipt.receiptNo, fullName: MARKERS.name, state: 'queued', createdAt: receipt.createdAt }]
    const none = { more: false, indexing: false }
    expect(value(await kiosk.call('registration.find', { query: '3578 0141 0190 0003' }))).toEqual({ results, by: 'nik', ...none })
    expect(value(await kiosk.call('registration.find', { query: receipt.receiptNo.toLowerCase() }))).toEqual({ results, by: 'receipt', ...none })
    expect(value(await kiosk.call('registration.find', { query: nikFor(77) }))).toEqual({ results: [], by: 'nik', ...none })
  })

  it('audits every view and search without writing the query', async () => {
    const { kiosk } = openKiosk()
    const receipt = value<Receipt>(await kiosk.call('registration.submit', { draft: makeDraft() }))
    await kiosk.call('registration.get', { id: receipt.id })
    await kiosk.call('registration.find', { query: SITI_NIK })
    const rows = kiosk.audit.list().reverse()
    expect(rows.map((r) => [r.action, r.actor, r.record_id]).slice(-3)).toEqual([
      ['register', 'sup-1', receipt.id],
      ['view', 'sup-1', receipt.id],
      ['search', 'sup-1', receipt.id],
    ])
    expect(JSON.stringify(rows)).not.toContain(SITI_NIK)
    expect(kiosk.audit.verify()).toEqual({ ok: true, rows: rows.length })
  })

  it('answers not_found for an unknown id', async () => {
    const { kiosk } = openKiosk()
    expect(await kiosk.call('registration.get', { id: '01890a5d-ac96-774b-bcce-b302099a8057' })).toMatchObject({ ok: false, error: { code: 'not_found' } })
  })
})

describe('registration.update', () => {
  it('re-seals a queued record, keeps its receipt, and audits which fields changed', async () => {
    const { kiosk } = openKiosk()
    const receipt = value<Receipt>(await kiosk.call('registration.submit', { draft: makeDraft() }))
    const view = value<RegistrationView>(
      await kiosk.call('registration.update', { id: receipt.id, draft: makeDraft({ phone: '+62 813 1111 2222', email: null }) }),
    )
    expect(view.record).toMatchObject({ receiptNo: receipt.receiptNo, phone: '+6281311112222', email: null, fullName: MARKERS.name })
    expect(view.state).toBe('queued')
    const edit = kiosk.audit.list({ action: 'edit' })[0]
    expect(JSON.parse(edit!.details)).toEqual({ fields: 'phone,email' })
  })

  it('cannot give a record another registration’s NIK', async () => {
    const { kiosk } = openKiosk()
    value<Receipt>(await kiosk.call('registration.submit', { draft: makeDraft() }))
    const other = value<Receipt>(await kiosk.call('registration.submit', { draft: makeDraft({ nik: nikFor(5) }) }))
    const result = await kiosk.call('registration.update', { id: other.id, draft: makeDraft() })
    expect(result).toMatchObject({ ok: false, error: { code: 'duplicate_nik' } })
    expect(value<RegistrationView>(await kiosk.call('registration.get', { id: other.id })).record.nik).toBe(nikFor(5))
  })

  it('refuses to edit a record central has accepted', async () => {
    const { kiosk } = openKiosk()
    const receipt = value<Receipt>(await kiosk.call('registration.submit', { draft: makeDraft() }))
    kiosk.store.markAccepted(receipt.id, 'C-1', new Date().toISOString())
    expect(await kiosk.call('registration.update', { id: receipt.id, draft: makeDraft({ birthPlace: 'Malang' }) })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    })
  })
})

describe('registration.validate', () => {
  it('reports field errors as i18n keys for a partial draft', async () => {
    const { kiosk } = openKiosk()
    const report = value<ValidationReport>(await kiosk.call('registration.validate', { draft: { nik: '12345', fullName: 'B0B' } }))
    expect(report.valid).toBe(false)
    expect(report.errors).toContainEqual({ path: ['nik'], message: 'validation.nik_length' })
    expect(report.errors).toContainEqual({ path: ['fullName'], message: 'validation.name_digits' })
    expect(report.errors).toContainEqual({ path: ['phone'], message: 'validation.invalid_type' })
    expect(report.nik).toBeNull()
  })

  it('an empty required field says "Wajib diisi." and nothing else; a landline says it is one (issue 19.9)', async () => {
    const { kiosk } = openKiosk()
    const empty = makeDraft({ nik: '', fullName: '  ', birthPlace: '', birthDate: '', phone: '' })
    empty.ktpAddress = { ...empty.ktpAddress, rt: '', postalCode: '' }
    const report = value<ValidationReport>(await kiosk.call('registration.validate', { draft: empty }))
    const messages = (path: string) => report.errors.filter((e) => e.path.join('.') === path).map((e) => e.message)
    for (const path of ['nik', 'fullName', 'birthPlace', 'birthDate', 'phone', 'ktpAddress.rt', 'ktpAddress.postalCode']) expect(messages(path), path).toEqual(['validation.required'])
    const landline = value<ValidationReport>(await kiosk.call('registration.validate', { draft: makeDraft({ phone: '(031) 5678901' }) }))
    expect(landline.errors).toEqual([{ path: ['phone'], message: 'validation.phone_landline' }])
  })

  it('autofills from the NIK with region names and warns when the typed data differs', async () => {
    const { kiosk } = openKiosk()
    const report = value<ValidationReport>(
      await kiosk.call('registration.validate', { draft: { nik: SITI_NIK, birthDate: '1990-01-02', sex: 'male' } }),
    )
    expect(report.nik).toMatchObject({
      birthDate: '1990-01-01',
      sex: 'female',
      province: { code: '35', name: 'Jawa Timur' },
      regency: { code: '35.78', name: 'Kota Surabaya' },
      district: { code: '35.78.01', name: 'Karang Pilang' },
    })
    expect(report.warnings).toEqual(
      expect.arrayContaining([
        { path: ['nik'], message: 'nik.birth_date_differs' },
        { path: ['nik'], message: 'nik.sex_differs' },
      ]),
    )
    expect(value<ValidationReport>(await kiosk.call('registration.validate', { draft: makeDraft() })).valid).toBe(true)
  })

  it('suggests the common domain for a mistyped email without blocking', async () => {
    const { kiosk } = openKiosk()
    const report = value<ValidationReport>(await kiosk.call('registration.validate', { draft: makeDraft({ email: 'siti@gmial.com' }) }))
    expect(report.valid).toBe(true)
    expect(report.warnings).toEqual([{ path: ['email'], message: 'email.suggest:gmail.com' }])
  })
})

describe('regions.children', () => {
  it('walks province → regency → district → village', async () => {
    const { kiosk } = openKiosk()
    const provinces = value<{ items: Array<{ code: string; name: string }> }>(await kiosk.call('regions.children', { parent: null })).items
    expect(provinces).toHaveLength(38)
    const regencies = value<{ items: Array<{ code: string }> }>(await kiosk.call('regions.children', { parent: '35' })).items
    expect(regencies).toHaveLength(38)
    const villages = value<{ items: Array<{ code: string; name: string }> }>(await kiosk.call('regions.children', { parent: '35.78.01' })).items
    expect(villages).toContainEqual({ code: '35.78.01.1002', name: 'Kebraon' })
    expect(await kiosk.call('regions.children', { parent: '35.78.01.1002' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
  })
})
