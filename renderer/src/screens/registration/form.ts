import type { Acknowledgement } from '../../../../common/acknowledgements'
import type { Education, Employment, PhotoRef, RegistrationDraft, Sex } from '../../../../common/registration'
import type { KtpFields } from '../../../../common/ktp'
import { CONSENT_TEXT_VERSION } from '../../../../common/registration'

/**
 * What the screens edit: every field as the person typed it (strings, booleans), so going Back shows exactly
 * what was there. `RegistrationDraft` (common/registration.ts) turns it into the normalised record.
 */
export interface AddressForm {
  provinceCode: string
  regencyCode: string
  districtCode: string
  villageCode: string
  street: string
  rt: string
  rw: string
  postalCode: string
}

export interface PhotoSet {
  face: PhotoRef | null
  card: PhotoRef | null
}

export interface RegistrationForm {
  consent: { dataProcessing: boolean; truthfulness: boolean }
  nik: string
  fullName: string
  birthPlace: string
  birthDate: string
  sex: Sex | ''
  ktpAddress: AddressForm
  domicileSame: boolean
  domicile: AddressForm
  phone: string
  email: string
  education: Education | ''
  employment: Employment | ''
  photos: PhotoSet
  /** Answers to the warnings that need one ("Ya, benar"), kept with the record (common/acknowledgements.ts). */
  acknowledgements: Acknowledgement[]
  /**
   * What the scan step read from the KTP (issue 20), kept beside what staff then type: the steps mark the fields
   * that came from the card, and the typo catcher compares a typed NIK with the card's. Never sent with the record.
   */
  card: KtpFields | null
}

export type AddressKey = 'ktpAddress' | 'domicile'

export const emptyAddress: Readonly<AddressForm> = {
  provinceCode: '',
  regencyCode: '',
  districtCode: '',
  villageCode: '',
  street: '',
  rt: '',
  rw: '',
  postalCode: '',
}

export function emptyForm(): RegistrationForm {
  return {
    consent: { dataProcessing: false, truthfulness: false },
    nik: '',
    fullName: '',
    birthPlace: '',
    birthDate: '',
    sex: '',
    ktpAddress: { ...emptyAddress },
    domicileSame: true,
    domicile: { ...emptyAddress },
    phone: '',
    email: '',
    education: '',
    employment: '',
    photos: { face: null, card: null },
    acknowledgements: [],
    card: null,
  }
}

/**
 * The form in the draft's shape, not yet validated: unanswered choices are left out so the schema reports them
 * as missing, an empty email means "none", and a domicile equal to the KTP address is sent as null.
 */
export function toDraftInput(form: RegistrationForm): Record<string, unknown> {
  const draft: Record<string, unknown> = {
    nik: form.nik,
    fullName: form.fullName,
    birthPlace: form.birthPlace,
    birthDate: form.birthDate,
    ktpAddress: { ...form.ktpAddress },
    domicile: form.domicileSame ? null : { ...form.domicile },
    phone: form.phone,
    email: form.email.trim() === '' ? null : form.email,
    consent: { ...form.consent, textVersion: CONSENT_TEXT_VERSION },
    photos: { ...form.photos },
    acknowledgements: form.acknowledgements.map((ack) => ({ ...ack })),
  }
  if (form.sex) draft.sex = form.sex
  if (form.education) draft.education = form.education
  if (form.employment) draft.employment = form.employment
  return draft
}

/** A stored record back in the form's shape, for staff to fix what central rejected. */
export function formFromDraft(draft: RegistrationDraft): RegistrationForm {
  return {
    consent: { dataProcessing: draft.consent.dataProcessing, truthfulness: draft.consent.truthfulness },
    nik: draft.nik,
    fullName: draft.fullName,
    birthPlace: draft.birthPlace,
    birthDate: draft.birthDate,
    sex: draft.sex,
    ktpAddress: { ...draft.ktpAddress },
    domicileSame: draft.domicile === null,
    domicile: draft.domicile ? { ...draft.domicile } : { ...emptyAddress },
    phone: draft.phone,
    email: draft.email ?? '',
    education: draft.education,
    employment: draft.employment,
    photos: { face: draft.photos.face, card: draft.photos.card },
    acknowledgements: draft.acknowledgements.map((ack) => ({ ...ack })),
    card: null,
  }
}
