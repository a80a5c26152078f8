import { describe, expect, it } from 'vitest'
import { Acknowledgements, unanswered, warningsToConfirm } from '../../common/acknowledgements'
import type { Receipt, RegistrationView, ValidationReport } from '../../common/records'
import { RegistrationDraft } from '../../common/registration'
import type { Result } from '../../common/result'
import { makeDraft } from '../fixtures/drafts'
import { openKiosk } from './helpers'

/** Issue 19, point 5: warnings that must be answered, the answer kept with the record, the submit refusing without it. */

function value<T>(result: Result<unknown>): T {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.error)}`)
  return result.value as T
}

const TODAY = new Date(2026, 11, 6, 9, 0)
const regions = { hasRegency: (code: string) => code === '35.78', hasDistrict: (code: string) => code.startsWith('35.78.') }
/** A valid NIK (woman, 1 January 1990) whose regency 35.99 no region list knows. */
const NIK_UNKNOWN_REGENCY = '3599014101900003'

describe('acknowledgements: the shape kept with the record', () => {
  it('takes one answer per warning, each with a choice the warning allows, and no more than 16', () => {
    expect(Acknowledgements.safeParse([{ warning: 'age_out_of_range' }, { warning: 'email_typo' }]).success).toBe(true)
    expect(Acknowledgements.safeParse([{ warning: 'age_out_of_range' }, { warning: 'age_out_of_range' }]).success).toBe(false)
    // These warnings take a plain "yes": a choice is refused, as is an unknown code or an extra key.
    expect(Acknowledgements.safeParse([{ warning: 'email_typo', choice: 'card' }]).success).toBe(false)
    expect(Acknowledgements.safeParse([{ warning: 'not_a_warning' }]).success).toBe(false)
    expect(Acknowledgements.safeParse([{ warning: 'email_typo', by: 'me' }]).success).toBe(false)
    expect(Acknowledgements.safeParse(Array.from({ length: 17 }, () => ({ warning: 'email_typo' }))).success).toBe(false)
  })

  it('is part of the draft, empty when absent (records made before it)', () => {
    const parsed = RegistrationDraft.parse(makeDraft())
    expect(parsed.acknowledgements).toEqual([])
    expect(RegistrationDraft.parse(makeDraft({ acknowledgements: [{ warning: 'email_typo' }] })).acknowledgements).toEqual([{ warning: 'email_typo' }])
  })
})

describe('warningsToConfirm', () => {
  it('says the age and the range when the age is outside it', () => {
    expect(warningsToConfirm({ birthDate: '2012-06-12' }, { today: TODAY })).toEqual([
      { warning: 'age_out_of_range', path: ['birthDate'], params: { age: 14, min: 18, max: 64 } },
    ])
    expect(warningsToConfirm({ birthDate: '1950-01-01' }, { today: TODAY })[0]?.params).toEqual({ age: 76, min: 18, max: 64 })
    expect(warningsToConfirm({ birthDate: '1990-01-01' }, { today: TODAY })).toEqual([])
  })

  it('asks no age question while the kiosk does not know today (its clock says 2000 and central has not answered)', () => {
    expect(warningsToConfirm({ birthDate: '1990-01-01' }, { today: new Date('2000-01-01T00:00:00Z'), todayKnown: false })).toEqual([])
    expect(warningsToConfirm({ birthDate: '1990-01-01' }, { today: new Date('2000-01-01T00:00:00Z') })[0]?.warning).toBe('age_out_of_range')
  })

  it('asks about a NIK regency the region list does not know, and an email that looks mistyped', () => {
    expect(warningsToConfirm({ nik: NIK_UNKNOWN_REGENCY }, { today: TODAY, regions })).toEqual([
      { warning: 'regency_unknown', path: ['nik'], params: { regency: '35.99' } },
    ])
    expect(warningsToConfirm({ nik: '3578014101900003' }, { today: TODAY, regions })).toEqual([])
    expect(warningsToConfirm({ email: 'siti@gmial.com' }, { today: TODAY })).toEqual([
      { warning: 'email_typo', path: ['email'], params: { suggestion: 'siti@gmail.com' } },
    ])
    expect(warningsToConfirm({ email: 'siti@gmail.com' }, { today: TODAY })).toEqual([])
  })

  it('leaves out what was answered', () => {
    const raised = warningsToConfirm({ birthDate: '2012-06-12', email: 'siti@gmial.com' }, { today: TODAY })
    expect(unanswered(raised, [{ warning: 'email_typo' }]).map((w) => w.warning)).toEqual(['age_out_of_range'])
  })
})

describe('registration.submit with a warning that must be answered', () => {
  const young = () => makeDraft({ birthDate: '2012-06-12', email: 'siti@gmial.com' })

  it('refuses it unanswered with warning_unacknowledged at the fields, and writes nothing', async () => {
    const { kiosk } = openKiosk({ now: () => TODAY })
    const refused = await kiosk.call('registration.submit', { draft: young() })
    expect(refused.ok).toBe(false)
    if (refused.ok) return
    expect(refused.error.code).toBe('warning_unacknowledged')
    expect(refused.error.details).toEqual({ warnings: 'age_out_of_range,email_typo' })
    expect(refused.error.issues?.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['birthDate', 'warning.confirm.age_out_of_range'],
      ['email', 'warning.confirm.email_typo'],
    ])
    expect(kiosk.store.count('registrations')).toBe(0)
    // One answer is not both.
    const half = await kiosk.call('registration.submit', { draft: { ...young(), acknowledgements: [{ warning: 'age_out_of_range' }] } })
    expect(half.ok ? null : half.error.details).toEqual({ warnings: 'email_typo' })
  })

  it('accepts it answered and keeps the answers sealed with the record', async () => {
    const { kiosk } = openKiosk({ now: () => TODAY })
    const acknowledgements = [{ warning: 'age_out_of_range' }, { warning: 'email_typo' }] as const
    const receipt = value<Receipt>(await kiosk.call('registration.submit', { draft: { ...young(), acknowledgements } }))
    const view = value<RegistrationView>(await kiosk.call('registration.get', { id: receipt.id }))
    expect(view.record.acknowledgements).toEqual(acknowledgements)
  })

  it('registration.validate lists what the submit will insist on', async () => {
    const { kiosk } = openKiosk({ now: () => TODAY })
    const report = value<ValidationReport>(await kiosk.call('registration.validate', { draft: { nik: NIK_UNKNOWN_REGENCY, birthDate: '2012-06-12' } }))
    expect(report.confirm.map((w) => w.warning)).toEqual(['age_out_of_range', 'regency_unknown'])
  })
})
