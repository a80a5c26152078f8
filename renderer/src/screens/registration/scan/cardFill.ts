import type { Acknowledgement } from '../../../../../common/acknowledgements'
import type { KtpFields } from '../../../../../common/ktp'
import { compareNik } from '../../../../../common/ktp'
import { normaliseNik } from '../../../../../common/nik'
import type { AddressForm, RegistrationForm } from '../form'

/**
 * What a KTP read (issue 20) does to the form: it fills the fields the reader offered, remembers the read beside
 * them (`form.card`), and lets the typo catcher compare a NIK typed later with the card's. Pure functions of the
 * form, so the rules are tested without a screen (test/unit/ktp-card-fill.test.ts).
 */

/** The form fields a read fills, by the reader's field name. */
const TOP = ['nik', 'fullName', 'birthPlace', 'birthDate', 'sex'] as const
const ADDRESS = { street: 'street', rt: 'rt', rw: 'rw', provinceCode: 'provinceCode', regencyCode: 'regencyCode', districtCode: 'districtCode', villageCode: 'villageCode' } as const satisfies Partial<Record<keyof KtpFields, keyof AddressForm>>

/**
 * The fields an earlier read filled and nobody changed since go back to empty; a field staff corrected stays as
 * they typed it. A new read (another card, a second scan) then starts from a clean slate.
 */
export function withoutCard(form: RegistrationForm): RegistrationForm {
  const card = form.card
  if (!card) return form
  const next: RegistrationForm = { ...form, ktpAddress: { ...form.ktpAddress }, card: null }
  for (const name of TOP) if (card[name] !== undefined && form[name] === card[name]) next[name] = ''
  for (const [from, to] of Object.entries(ADDRESS) as [keyof typeof ADDRESS, keyof AddressForm][]) {
    if (card[from] !== undefined && form.ktpAddress[to] === card[from]) next.ktpAddress[to] = ''
  }
  return afterNikEdit(next)
}

/** The form with a read applied: every offered field filled (over what was there), the read kept as `card`. */
export function withCard(form: RegistrationForm, fields: KtpFields): RegistrationForm {
  const base = withoutCard(form)
  const next: RegistrationForm = { ...base, ktpAddress: { ...base.ktpAddress }, card: { ...fields } }
  if (fields.nik !== undefined) next.nik = fields.nik
  if (fields.fullName !== undefined) next.fullName = fields.fullName
  if (fields.birthPlace !== undefined) next.birthPlace = fields.birthPlace
  if (fields.birthDate !== undefined) next.birthDate = fields.birthDate
  if (fields.sex !== undefined) next.sex = fields.sex
  for (const [from, to] of Object.entries(ADDRESS) as [keyof typeof ADDRESS, keyof AddressForm][]) {
    const value = fields[from]
    if (value !== undefined) next.ktpAddress[to] = value
  }
  // A village the read did not name but the form held from before belongs to another district: not kept.
  if (fields.districtCode && !next.ktpAddress.villageCode.startsWith(`${fields.districtCode}.`)) next.ktpAddress.villageCode = ''
  return afterNikEdit(next)
}

/** The fields of the form that still hold what the card said: the steps mark these "dibaca dari KTP". */
export function fromCard(form: RegistrationForm): Set<string> {
  const card = form.card
  const found = new Set<string>()
  if (!card) return found
  for (const name of TOP) if (card[name] !== undefined && form[name] === card[name]) found.add(name)
  for (const [from, to] of Object.entries(ADDRESS) as [keyof typeof ADDRESS, keyof AddressForm][]) {
    if (card[from] !== undefined && form.ktpAddress[to] === card[from]) found.add(`ktpAddress.${to}`)
  }
  return found
}

export type CardNikChoice = 'card' | 'typed'

const CODE = 'nik_differs_from_card'

/** The typo catcher's question, when there is one: the card's NIK, the digits that differ, and whether it was answered. */
export interface CardNikQuestion {
  cardNik: string
  /** 1-based digit positions; empty when the typed NIK has another length. */
  positions: number[]
  answered: boolean
}

export function cardNikQuestion(form: RegistrationForm): CardNikQuestion | null {
  const cardNik = form.card?.nik
  if (!cardNik) return null
  const typed = normaliseNik(form.nik)
  // Half a NIK is still being typed: the field's own rules speak first, the question once it is whole.
  if (typed.length < cardNik.length) return null
  const comparison = compareNik(cardNik, typed)
  if (comparison.same) return null
  return { cardNik, positions: comparison.kind === 'digits' ? comparison.positions : [], answered: answerOf(form) === 'typed' }
}

function answerOf(form: RegistrationForm): string | undefined {
  return form.acknowledgements.find((ack) => ack.warning === CODE)?.choice
}

/**
 * The operator's answer, kept with the record like a warning acknowledged: "card" puts the card's NIK back (the
 * caller also re-reads what the NIK says), "typed" keeps what was typed.
 */
export function answerCardNik(form: RegistrationForm, choice: CardNikChoice): RegistrationForm {
  const cardNik = form.card?.nik
  if (!cardNik) return form
  const acknowledgements: Acknowledgement[] = [...form.acknowledgements.filter((ack) => ack.warning !== CODE), { warning: CODE, choice }]
  return { ...form, acknowledgements, ...(choice === 'card' ? { nik: cardNik } : {}) }
}

/**
 * After the NIK (or the card) changed: an answer holds only for the NIK it was given about: "typed" goes as soon as the NIK is edited again (the new
 * one is asked about afresh), "card" as soon as the NIK is no longer the card's.
 */
export function afterNikEdit(form: RegistrationForm): RegistrationForm {
  const ack = form.acknowledgements.find((a) => a.warning === CODE)
  if (!ack) return form
  const keep = ack.choice === 'card' && form.card?.nik !== undefined && normaliseNik(form.nik) === form.card.nik
  return keep ? form : { ...form, acknowledgements: form.acknowledgements.filter((a) => a.warning !== CODE) }
}
