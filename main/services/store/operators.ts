import type { Role } from '../../../common/authz'
import type { Db } from './db'

export interface OperatorRow {
  id: string
  name: string
  role: Role
  pin_hash: Buffer
  pin_salt: Buffer
  pin_params: string
  failed_attempts: number
  last_failure_at: string | null
  locked: 0 | 1
  active: 0 | 1
  created_at: string
  updated_at: string
}

export interface OperatorsRepository {
  byId(id: string): OperatorRow | undefined
  list(): OperatorRow[]
  count(): number
  insert(op: { id: string; name: string; role: Role; pin: StoredPin; now: string }): void
  recordFailure(id: string, now: string, lock: boolean): void
  recordSuccess(id: string, now: string): void
  unlock(id: string, now: string): boolean
  setActive(id: string, active: boolean, now: string): boolean
}

/** A PIN's hash as stored: the store keeps security/pin.ts's hash, salt and parameters without knowing scrypt. */
export interface StoredPin {
  hash: Buffer
  salt: Buffer
  params: object
}

export function createOperatorsRepository(db: Db): OperatorsRepository {
  const byId = db.prepare<[string], OperatorRow>('SELECT * FROM operators WHERE id = ?')
  const all = db.prepare<[], OperatorRow>('SELECT * FROM operators ORDER BY role, id')
  const count = db.prepare<[], number>('SELECT count(*) FROM operators').pluck()
  const insert = db.prepare<[string, string, string, Buffer, Buffer, string, string, string]>(
    `INSERT INTO operators (id, name, role, pin_hash, pin_salt, pin_params, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  const failure = db.prepare<[string, number, string, string]>(
    'UPDATE operators SET failed_attempts = failed_attempts + 1, last_failure_at = ?, locked = max(locked, ?), updated_at = ? WHERE id = ?',
  )
  // A right PIN after a lock has run out ends the lock too.
  const success = db.prepare<[string, string]>('UPDATE operators SET failed_attempts = 0, last_failure_at = NULL, locked = 0, updated_at = ? WHERE id = ?')
  const unlock = db.prepare<[string, string]>('UPDATE operators SET locked = 0, failed_attempts = 0, last_failure_at = NULL, updated_at = ? WHERE id = ?')
  const active = db.prepare<[number, string, string]>('UPDATE operators SET active = ?, updated_at = ? WHERE id = ?')
  return {
    byId: (id) => byId.get(id),
    list: () => all.all(),
    count: () => count.get() as number,
    insert: (op) => void insert.run(op.id, op.name, op.role, op.pin.hash, op.pin.salt, JSON.stringify(op.pin.params), op.now, op.now),
    recordFailure: (id, now, lock) => void failure.run(now, lock ? 1 : 0, now, id),
    recordSuccess: (id, now) => void success.run(now, id),
    unlock: (id, now) => unlock.run(now, id).changes === 1,
    setActive: (id, on, now) => active.run(on ? 1 : 0, now, id).changes === 1,
  }
}
