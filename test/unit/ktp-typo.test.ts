import { describe, expect, it } from 'vitest'
import { Acknowledgements } from '../../common/acknowledgements'
import { compareNik, groupNik } from '../../common/ktp'

describe('the typo catcher: a typed NIK against the one read from the card', () => {
  const card = '3578015708950012'

  it('names the digit that differs, counted from 1 as on the card', () => {
    expect(compareNik(card, '3578015708950212')).toEqual({ same: false, kind: 'digits', positions: [14] })
    expect(compareNik(card, '3578015708950013')).toEqual({ same: false, kind: 'digits', positions: [16] })
    // Two swapped digits: both named.
    expect(compareNik(card, '3578015708950102')).toEqual({ same: false, kind: 'digits', positions: [14, 15] })
  })

  it('says nothing when they are the same, however the typed one is spaced', () => {
    expect(compareNik(card, '3578 0157 0895 0012')).toEqual({ same: true })
    expect(compareNik(card, '3578.0157.0895.0012')).toEqual({ same: true })
  })

  it('reports a dropped or doubled digit as a length difference, not as every digit after it', () => {
    expect(compareNik(card, '357801570895012')).toEqual({ same: false, kind: 'length' })
    expect(compareNik(card, '35780157089500012')).toEqual({ same: false, kind: 'length' })
  })

  it('shows the card NIK in groups of four', () => {
    expect(groupNik(card)).toBe('3578 0157 0895 0012')
  })

  it("records the answer as an acknowledged warning: the card's NIK or the typed one, nothing else", () => {
    expect(Acknowledgements.safeParse([{ warning: 'nik_differs_from_card', choice: 'card' }]).success).toBe(true)
    expect(Acknowledgements.safeParse([{ warning: 'nik_differs_from_card', choice: 'typed' }]).success).toBe(true)
    expect(Acknowledgements.safeParse([{ warning: 'nik_differs_from_card' }]).success).toBe(false)
    expect(Acknowledgements.safeParse([{ warning: 'nik_differs_from_card', choice: 'both' }]).success).toBe(false)
  })
})
