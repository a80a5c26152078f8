import type { FieldErrors } from '../../components/fieldErrors'
import type { StepId } from './steps'
import { STEPS, stepOf } from './steps'

/**
 * One screen of a registration flow. The staff desk shows each step on one page; the self-service kiosk splits a
 * few steps (the address: regions, then street) so a touch screen asks one thing at a time. Either way the step's
 * own check decides what is wrong; a page owns the part of those errors that it shows.
 */
export interface FlowPage {
  id: string
  step: StepId
  /** Which of the step's fields (dotted paths) this page shows; all of them when absent. */
  shows?: (path: string) => boolean
}

export const ASSISTED_PAGES: readonly FlowPage[] = STEPS.map((step) => ({ id: step, step }))

export function pageShows(page: FlowPage, path: string): boolean {
  return stepOf(path.split('.')) === page.step && (page.shows?.(path) ?? true)
}

/** The errors a page shows, from a check of its whole step (or of the whole draft). */
export function pageErrors(page: FlowPage, errors: FieldErrors): FieldErrors {
  return Object.fromEntries(Object.entries(errors).filter(([path]) => pageShows(page, path)))
}

/** Errors of other pages stay; the page's own are replaced by a fresh check. */
export function replacePageErrors(all: FieldErrors, page: FlowPage, fresh: FieldErrors): FieldErrors {
  const kept = Object.entries(all).filter(([path]) => !pageShows(page, path))
  return { ...Object.fromEntries(kept), ...fresh }
}

export function firstPageWithErrors(pages: readonly FlowPage[], errors: FieldErrors): FlowPage | null {
  const paths = Object.keys(errors)
  return pages.find((page) => paths.some((path) => pageShows(page, path))) ?? null
}

/** The first page of a step, e.g. where "Ubah alamat" on the review leads. */
export function firstPageOf(pages: readonly FlowPage[], step: StepId): FlowPage | null {
  return pages.find((page) => page.step === step) ?? null
}
