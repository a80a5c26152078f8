import type { Role } from '../../../common/authz'
import type { OperatorView, SessionState } from '../../../common/staff'
import { DomainError } from '../../../common/result'
import type { Clock } from '../platform/clock'
import type { AuditLog } from '../store/audit'
import type { OperatorRow, OperatorsRepository } from '../store/operators'
import type { PinHash } from '../security/pin'
import { hashPin, verifyPin } from '../security/pin'

/**
 * Five wrong PINs lock an operator. The lock ends by itself (`lockoutSeconds`) so nobody can lock every supervisor
 * out for good by typing wrong PINs at a kiosk; a supervisor or IT can end it sooner ("Buka kunci").
 */
export const MAX_FAILURES = 5

/** 15 min after the fifth wrong PIN, doubling with each wrong PIN after a lock ends, at most a day. */
export function lockoutSeconds(failedAttempts: number): number {
  if (failedAttempts < MAX_FAILURES) return 0
  return Math.min(15 * 60 * 2 ** (failedAttempts - MAX_FAILURES), 24 * 60 * 60)
}

/**
 * A self-service kiosk is open to anyone, and so is its hidden staff sign-in: at most this many wrong sign-ins in a
 * window, whoever they name, before the kiosk itself makes the next wait (so a passer-by can't cycle through ids).
 */
export const KIOSK_FAILURES = { max: 5, windowMs: 15 * 60_000 } as const

/** Before the n-th retry after a failure, wait 2^(n−1) s: 1, 2, 4, 8 s. Enough to stop guessing, not to annoy. */
export function retryDelaySeconds(failedAttempts: number): number {
  return failedAttempts <= 0 ? 0 : 2 ** (failedAttempts - 1)
}

/** PINs staff would pick first; refused when a PIN is set. */
export function isWeakPin(pin: string): boolean {
  if (/^(\d)\1+$/.test(pin)) return true
  const digits = [...pin].map(Number)
  const steps = digits.slice(1).map((d, i) => d - digits[i]!)
  return steps.every((s) => s === 1) || steps.every((s) => s === -1)
}

function pinHashOf(row: OperatorRow): PinHash {
  return { hash: row.pin_hash, salt: row.pin_salt, params: JSON.parse(row.pin_params) as PinHash['params'] }
}

export function toOperatorView(row: OperatorRow): OperatorView {
  return { id: row.id, name: row.name, role: row.role, active: row.active === 1, locked: row.locked === 1, failedAttempts: row.failed_attempts }
}

interface Session {
  operatorId: string
  name: string
  role: Role
  locked: boolean
  lastActivity: number
}

export interface SessionManagerOptions {
  operators: OperatorsRepository
  audit: AuditLog
  clock: Clock
  timeoutMs: number
  /**
   * What inactivity does: lock (the staff desk: the draft waits behind the PIN) or sign out (a self-service kiosk,
   * where a locked staff session would leave the next applicant facing a PIN screen).
   */
  timeoutAction?: () => 'lock' | 'sign_out'
  /** Self-service: wrong sign-ins are also limited per kiosk (KIOSK_FAILURES). */
  selfService?: () => boolean
  /** Told whenever the session changes (sign-in, sign-out, lock), so the renderer can follow without polling. */
  onChange(state: SessionState): void
}

export interface SessionManager {
  state(): SessionState
  /** The signed-in operator's id and role, or null; never reports a locked session as usable. */
  current(): { operatorId: string; role: Role; locked: boolean } | null
  signIn(operatorId: string, pin: string): Promise<SessionState>
  setup(operatorId: string, name: string, pin: string): Promise<SessionState>
  signOut(): SessionState
  lock(): SessionState
  unlock(pin: string): Promise<SessionState>
  /** Activity: pushes the auto-lock back. */
  touch(): void
  listOperators(): OperatorView[]
  createOperator(input: { operatorId: string; name: string; role: Role; pin: string }): Promise<OperatorView>
  unlockOperator(operatorId: string): OperatorView
  setActive(operatorId: string, active: boolean): OperatorView
  dispose(): void
}

export function createSessionManager(options: SessionManagerOptions): SessionManager {
  const { operators, audit, clock } = options
  let session: Session | null = null
  let lockTimer: unknown = null
  // Verifying against this when the id is unknown keeps the answer time the same: ids can't be probed by timing.
  let decoy: Promise<PinHash> | null = null
  /** When the recent wrong sign-ins happened, on a self-service kiosk (in memory: a restart is a fresh start). */
  let kioskFailures: number[] = []
  const nowIso = () => new Date(clock.now()).toISOString()

  const state = (): SessionState => ({
    status: session === null ? 'signed_out' : session.locked ? 'locked' : 'active',
    operator: session ? { id: session.operatorId, name: session.name, role: session.role } : null,
    setupRequired: operators.count() === 0,
    timeoutMinutes: Math.round(options.timeoutMs / 60_000),
  })
  const changed = () => {
    const s = state()
    options.onChange(s)
    return s
  }

  function armLock(): void {
    if (lockTimer !== null) clock.clearTimeout(lockTimer)
    lockTimer = null
    if (session === null || session.locked) return
    const due = session.lastActivity + options.timeoutMs - clock.now()
    lockTimer = clock.setTimeout(() => {
      lockTimer = null
      if (session && !session.locked && clock.now() - session.lastActivity >= options.timeoutMs) {
        if ((options.timeoutAction?.() ?? 'lock') === 'sign_out') {
          audit.append({ actor: session.operatorId, action: 'sign_out', details: { reason: 'timeout' } })
          session = null
        } else session.locked = true
        changed()
      } else armLock()
    }, Math.max(0, due))
  }

  /** Checks a PIN for `row`, counting failures, delaying retries, and locking at the fifth. */
  async function checkPin(row: OperatorRow, pin: string): Promise<void> {
    const since = row.last_failure_at ? (clock.now() - Date.parse(row.last_failure_at)) / 1000 : Infinity
    if (row.locked === 1) {
      const left = lockoutSeconds(row.failed_attempts) - since
      // A lock set before locks expired (or by hand) has no failure time: it waits for a supervisor or IT.
      if (row.last_failure_at === null || left > 0) {
        throw new DomainError('account_locked', 'Operator is locked', left > 0 && Number.isFinite(left) ? { retryInSeconds: Math.ceil(left) } : undefined)
      }
    }
    const wait = row.locked === 1 ? 0 : retryDelaySeconds(row.failed_attempts)
    if (since < wait) {
      throw new DomainError('too_many_attempts', 'Wait before trying again', { retryInSeconds: Math.ceil(wait - since) })
    }
    if (await verifyPin(pin, pinHashOf(row))) {
      operators.recordSuccess(row.id, nowIso())
      return
    }
    const attempts = row.failed_attempts + 1
    const lock = attempts >= MAX_FAILURES
    operators.recordFailure(row.id, nowIso(), lock)
    audit.append({ actor: row.id, action: 'sign_in_failed', details: { attempt: attempts } })
    if (lock) {
      audit.append({ actor: row.id, action: 'lockout', details: { seconds: lockoutSeconds(attempts) } })
      throw new DomainError('account_locked', 'Operator is locked after repeated wrong PINs', { retryInSeconds: lockoutSeconds(attempts) })
    }
    throw new DomainError('wrong_pin', 'Wrong operator id or PIN')
  }

  function open(row: OperatorRow): SessionState {
    session = { operatorId: row.id, name: row.name, role: row.role, locked: false, lastActivity: clock.now() }
    audit.append({ actor: row.id, action: 'sign_in' })
    armLock()
    return changed()
  }

  function existing(operatorId: string): OperatorRow {
    const row = operators.byId(operatorId)
    if (!row) throw new DomainError('not_found', 'No such operator')
    return row
  }

  async function newPin(pin: string): Promise<PinHash> {
    if (isWeakPin(pin)) throw new DomainError('invalid_input', 'PIN is too easy to guess', { field: 'pin', reason: 'weak' })
    return hashPin(pin)
  }

  return {
    state,
    current: () => (session ? { operatorId: session.operatorId, role: session.role, locked: session.locked } : null),

    async signIn(operatorId, pin) {
      const limited = options.selfService?.() ?? false
      if (limited) {
        kioskFailures = kioskFailures.filter((at) => clock.now() - at < KIOSK_FAILURES.windowMs)
        if (kioskFailures.length >= KIOSK_FAILURES.max) {
          const retryInSeconds = Math.ceil((kioskFailures[0]! + KIOSK_FAILURES.windowMs - clock.now()) / 1000)
          throw new DomainError('too_many_attempts', 'Too many wrong sign-ins at this kiosk', { retryInSeconds, scope: 'kiosk' })
        }
      }
      const row = operators.byId(operatorId)
      try {
        if (!row || row.active === 0) {
          decoy ??= hashPin('000000')
          await verifyPin(pin, await decoy)
          audit.append({ actor: null, action: 'sign_in_failed', details: { known: false } })
          throw new DomainError('wrong_pin', 'Wrong operator id or PIN')
        }
        await checkPin(row, pin)
      } catch (error) {
        if (limited && error instanceof DomainError && (error.code === 'wrong_pin' || error.code === 'account_locked')) kioskFailures.push(clock.now())
        throw error
      }
      if (session) audit.append({ actor: session.operatorId, action: 'sign_out', details: { reason: 'replaced' } })
      return open(row)
    },

    async setup(operatorId, name, pin) {
      if (operators.count() > 0) throw new DomainError('forbidden', 'The kiosk already has operators')
      const hash = await newPin(pin)
      // Re-checked after the await: two first-run screens must not both create a supervisor.
      if (operators.count() > 0) throw new DomainError('forbidden', 'The kiosk already has operators')
      operators.insert({ id: operatorId, name, role: 'supervisor', pin: hash, now: nowIso() })
      audit.append({ actor: operatorId, action: 'settings_change', details: { setup: 'first_supervisor' } })
      return open(existing(operatorId))
    },

    signOut() {
      if (session) audit.append({ actor: session.operatorId, action: 'sign_out' })
      session = null
      armLock()
      return changed()
    },

    lock() {
      if (session) session.locked = true
      armLock()
      return changed()
    },

    async unlock(pin) {
      if (!session) throw new DomainError('unauthenticated', 'Nobody is signed in')
      await checkPin(existing(session.operatorId), pin)
      session.locked = false
      session.lastActivity = clock.now()
      armLock()
      return changed()
    },

    touch() {
      if (session && !session.locked) {
        session.lastActivity = clock.now()
        armLock()
      }
    },

    listOperators: () => operators.list().map(toOperatorView),

    async createOperator({ operatorId, name, role, pin }) {
      if (operators.byId(operatorId)) throw new DomainError('conflict', 'Operator id already exists')
      operators.insert({ id: operatorId, name, role, pin: await newPin(pin), now: nowIso() })
      audit.append({ actor: session?.operatorId ?? null, action: 'settings_change', details: { operator_created: operatorId, role } })
      return toOperatorView(existing(operatorId))
    },

    unlockOperator(operatorId) {
      existing(operatorId)
      operators.unlock(operatorId, nowIso())
      audit.append({ actor: session?.operatorId ?? null, action: 'settings_change', details: { operator_unlocked: operatorId } })
      return toOperatorView(existing(operatorId))
    },

    setActive(operatorId, active) {
      existing(operatorId)
      if (!active && session?.operatorId === operatorId) throw new DomainError('conflict', 'You cannot deactivate yourself')
      operators.setActive(operatorId, active, nowIso())
      audit.append({ actor: session?.operatorId ?? null, action: 'settings_change', details: { operator: operatorId, active } })
      return toOperatorView(existing(operatorId))
    },

    dispose() {
      if (lockTimer !== null) clock.clearTimeout(lockTimer)
      lockTimer = null
    },
  }
}
