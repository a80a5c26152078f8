import { z } from 'zod'

/** Staff: roles, operator ids and PINs as typed, the session, operators and audit rows as the screens list them. */

export const Role = z.enum(['operator', 'supervisor', 'it'])
export const OperatorId = z.string().trim().regex(/^[A-Za-z0-9._-]{3,32}$/, 'validation.operator_id')
export const Pin = z.string().regex(/^\d{6,12}$/, 'validation.pin')

/** The signed-in operator as the renderer knows them: never the PIN, never a hash. */
export const SessionState = z.object({
  status: z.enum(['signed_out', 'active', 'locked']),
  operator: z.object({ id: z.string(), name: z.string(), role: Role }).nullable(),
  /** No operator exists yet: the first-run screen creates the first supervisor. */
  setupRequired: z.boolean(),
  timeoutMinutes: z.number().int(),
})
export type SessionState = z.infer<typeof SessionState>

export const OperatorView = z.object({
  id: z.string(),
  name: z.string(),
  role: Role,
  active: z.boolean(),
  locked: z.boolean(),
  failedAttempts: z.number().int(),
})
export type OperatorView = z.infer<typeof OperatorView>

export const AuditRowView = z.object({
  seq: z.number().int(),
  at: z.string(),
  actor: z.string().nullable(),
  action: z.string(),
  recordId: z.string().nullable(),
  /** The record's receipt number, what staff know it by (null: no record, or one already erased). */
  receiptNo: z.string().nullable(),
  details: z.string(),
})
export type AuditRowView = z.infer<typeof AuditRowView>
