import type { RegistrationForm } from '../form'

/** The photos a draft refers to: parked with it, so they are not erased as abandoned while it waits. */
export function photosOf(form: RegistrationForm): string[] {
  return [form.photos.face?.sha256, form.photos.card?.sha256].filter((sha): sha is string => typeof sha === 'string')
}
