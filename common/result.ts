import { z } from 'zod'

/**
 * Every failure that crosses a process boundary is one of these codes. The renderer turns a code into a
 * sentence in the user's language (i18n key `errors.<code>`); `message` is English for logs and developers.
 */
export const ErrorCode = z.enum([
  'invalid_input',
  'unknown_channel',
  'forbidden',
  'not_found',
  'conflict',
  'duplicate_nik',
  /**
   * A warning that must be answered (common/acknowledgements.ts) has no answer in the draft: `details.warnings`
   * lists their codes, comma-separated, and `issues` puts each at its field.
   */
  'warning_unacknowledged',
  'unavailable',
  'internal',
  /** No one is signed in: show the sign-in screen. */
  'unauthenticated',
  /** The session locked itself after inactivity: the same operator's PIN unlocks it. */
  'session_locked',
  'wrong_pin',
  /** Five wrong PINs: only a supervisor can unlock this operator. */
  'account_locked',
  /** A wrong PIN makes the next try wait a little longer; `details.retryInSeconds` says how long. */
  'too_many_attempts',
])
export type ErrorCode = z.infer<typeof ErrorCode>

export const Issue = z.object({
  path: z.array(z.union([z.string(), z.number()])),
  code: z.string(),
  message: z.string(),
})
export type Issue = z.infer<typeof Issue>

export const PoskoErrorShape = z.object({
  code: ErrorCode,
  message: z.string(),
  issues: z.array(Issue).optional(),
  /** Non-personal details a screen may show, e.g. the receipt number of an earlier registration. */
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
})
export type PoskoErrorShape = z.infer<typeof PoskoErrorShape>

export type Result<T> = { ok: true; value: T } | { ok: false; error: PoskoErrorShape }

export const ok = <T>(value: T): Result<T> => ({ ok: true, value })
export const fail = (error: PoskoErrorShape): Result<never> => ({ ok: false, error })

/** Thrown inside a layer; `dispatch()` turns it into a `Result` at the boundary. */
export class DomainError extends Error {
  readonly code: ErrorCode
  readonly details: PoskoErrorShape['details']
  /** Field problems a service found beyond the schema (e.g. a photo that failed its check), as i18n keys. */
  readonly issues: Issue[] | undefined
  constructor(code: ErrorCode, message: string, details?: PoskoErrorShape['details'], issues?: Issue[]) {
    super(message)
    this.name = 'DomainError'
    this.code = code
    this.details = details
    this.issues = issues
  }
}

/** Exhaustiveness guard: a new union member breaks the build where it is not handled. */
export function missingCaseError(value: never): Error {
  return new Error(`Unhandled case: ${String(value)}`)
}
