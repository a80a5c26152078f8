import { describe, expect, it } from 'vitest'
import type { KtpFields } from '../../common/ktp'
import { emptyForm } from '../../renderer/src/screens/registration/form'
import { afterNikEdit, answerCardNik, cardNikQuestion, fromCard, withCard, withoutCard } from '../../renderer/src/screens/registration/scan/cardFill'

/** Issue 20.3–20.4 in the renderer's own terms: what a read fills, what it leaves alone, and the typo catcher. */
const NIK = '1401065105862354'
const READ: KtpFields = {
  nik: NIK,
  fullName: 'TAUFIK MAULANA ADI',
  birthPlace: 'KAMPAR',
  birthDate: '1986-05-11',
  sex: 'female',
  street: 'JL. GATOT SUBROTO NO. 36',
  rt: '10',
  rw: '1',
  provinceCode: '14',
  regencyCode: '14.01',
  districtCode: '14.01.06',
  villageCode: '14.01.06.2006',
}

describe('filling the form from a KTP read', () => {
  it('fills what was offered, marks it as read from the card, and leaves fields the read did not offer alone', () => {
    const typed = { ...emptyForm(), phone: '081234567890' }
    const { nik: _nik, birthDate: _b, sex: _s, ...withoutNik } = READ
    const form = withCard(typed, withoutNik)
    expect(form).toMatchObject({ nik: '', fullName: READ.fullName, birthDate: '', phone: '081234567890', ktpAddress: { villageCode: READ.villageCode, rt: '10' } })
    expect([...fromCard(form)].sort()).toEqual(['birthPlace', 'fullName', 'ktpAddress.districtCode', 'ktpAddress.provinceCode', 'ktpAddress.regencyCode', 'ktpAddress.rt', 'ktpAddress.rw', 'ktpAddress.street', 'ktpAddress.villageCode'])
    // A field staff corrected is no longer "from the card".
    expect(fromCard({ ...form, fullName: 'TAUFIK MAULANA' }).has('fullName')).toBe(false)
  })

  it('a second scan (or "Ketik manual") clears what the first read filled, but keeps what staff changed since', () => {
    const first = withCard(emptyForm(), READ)
    const corrected = { ...first, birthPlace: 'PEKANBARU' }
    const cleared = withoutCard(corrected)
    expect(cleared).toMatchObject({ nik: '', fullName: '', birthPlace: 'PEKANBARU', card: null, ktpAddress: { street: '', villageCode: '' } })
    const other = withCard(corrected, { fullName: 'SITI AMINAH', districtCode: '14.01.07' })
    expect(other).toMatchObject({ nik: '', fullName: 'SITI AMINAH', birthPlace: 'PEKANBARU', ktpAddress: { districtCode: '14.01.07', villageCode: '' } })
  })
})

describe('the typo catcher', () => {
  const scanned = withCard(emptyForm(), READ)

  it('asks nothing while the typed NIK is the card’s, or still being typed', () => {
    expect(cardNikQuestion(scanned)).toBeNull()
    expect(cardNikQuestion({ ...scanned, nik: '140106510586' })).toBeNull()
    expect(cardNikQuestion({ ...emptyForm(), nik: '1401065105862355' })).toBeNull()
  })

  it('names the digits that differ, counted as on the card', () => {
    expect(cardNikQuestion({ ...scanned, nik: '1401 0651 0586 2854' })).toEqual({ cardNik: READ.nik, positions: [14], answered: false })
    expect(cardNikQuestion({ ...scanned, nik: '14010651058623541' })).toEqual({ cardNik: READ.nik, positions: [], answered: false })
  })

  it('"the typed NIK is right" holds until the NIK is edited again; "the card’s" puts the card’s NIK back and is kept', () => {
    const typo = { ...scanned, nik: '1401065105862854' }
    const typed = answerCardNik(typo, 'typed')
    expect(typed.acknowledgements).toEqual([{ warning: 'nik_differs_from_card', choice: 'typed' }])
    expect(cardNikQuestion(typed)).toMatchObject({ answered: true })
    const editedAgain = afterNikEdit({ ...typed, nik: '1401065105862864' })
    expect(editedAgain.acknowledgements).toEqual([])
    expect(cardNikQuestion(editedAgain)).toMatchObject({ positions: [14, 15], answered: false })
    // Corrected to the card's NIK by hand: no question, and no "typed" answer left on the record.
    expect(afterNikEdit({ ...typed, nik: NIK }).acknowledgements).toEqual([])

    const card = afterNikEdit(answerCardNik(typo, 'card'))
    expect(card.nik).toBe(READ.nik)
    expect(card.acknowledgements).toEqual([{ warning: 'nik_differs_from_card', choice: 'card' }])
    expect(cardNikQuestion(card)).toBeNull()
    // Typed away from the card's NIK after choosing it: the choice no longer holds.
    expect(afterNikEdit({ ...card, nik: typo.nik }).acknowledgements).toEqual([])
  })
})
