import { DraftStep } from '../../../../../common/drafts'
import type { RegistrationForm } from '../form'
import type { StepId } from '../steps'

/**
 * Where a set-aside draft goes on: the step it stopped at. A draft stopped at the KTP scan goes on at the consent
 * (its ticks kept, "Lanjut" scans again); a stored step name the list does not know is kept as the review.
 */
export function draftStepOf(step: StepId): DraftStep | null {
  const parsed = DraftStep.safeParse(step === 'scan' ? 'consent' : step)
  return parsed.success ? parsed.data : null
}

/** A draft to go on with: parked and resumed, or an applicant's handed to staff by the hidden gesture. */
export interface ResumedForm {
  form: RegistrationForm
  step: DraftStep
}

/**
 * What the app shell asks of the registration on screen before leaving it (issue 19.2): whether it holds someone's
 * data, and that data to park. The registration screen keeps it current.
 */
export interface DraftGuard {
  started: () => boolean
  snapshot: () => ResumedForm
}

/**
 * An applicant's draft on its way from the self-service flow to the staff who opened their sign-in with the hidden
 * gesture. Memory only, like the draft itself: set when the sign-in opens, taken by the staff shell that signs in,
 * dropped whenever the sign-in is left or the kiosk resets for the next applicant.
 */
let handover: ResumedForm | null = null

export function offerHandover(draft: ResumedForm | null): void {
  handover = draft
}

export function takeHandover(): ResumedForm | null {
  const draft = handover
  handover = null
  return draft
}
