import { describe, expect, it } from 'vitest'
import type { SessionState } from '../../common/staff'
import { isWeakPin, lockoutSeconds, retryDelaySeconds } from '../../main/services/sessions/sessions'
import { manualClock, openKiosk, TEST_PIN } from './helpers'

describe('session timeouts', () => {
  it('at the staff desk, inactivity locks the session; activity pushes the lock back', async () => {
    const clock = manualClock()
    const { kiosk, signedIn } = openKiosk({ clock, config: { sessionTimeoutMinutes: 5 } })
    await signedIn
    const seen: SessionState[] = []
    kiosk.events.subscribe((name, payload) => name === 'session.changed' && seen.push(payload as SessionState))
    clock.advance(4 * 60_000)
    await kiosk.call('session.touch')
    clock.advance(4 * 60_000)
    expect(kiosk.sessions.state().status).toBe('active')
    clock.advance(60_000)
    expect(kiosk.sessions.state()).toMatchObject({ status: 'locked', operator: { id: 'sup-1' } })
    expect(seen.at(-1)?.status).toBe('locked')
    expect(await kiosk.call('registration.find', { query: '3578014101900003' })).toMatchObject({ ok: false, error: { code: 'session_locked' } })
    expect(await kiosk.call('session.unlock', { pin: TEST_PIN })).toMatchObject({ ok: true, value: { status: 'active' } })
  })

  it('on a self-service kiosk, a staff session that goes idle signs out, so the next applicant sees the welcome', async () => {
    const clock = manualClock()
    const { kiosk, signedIn } = openKiosk({ clock, config: { mode: 'self-service', sessionTimeoutMinutes: 5 } })
    await signedIn
    clock.advance(5 * 60_000)
    expect(kiosk.sessions.state()).toMatchObject({ status: 'signed_out', operator: null })
    expect(kiosk.audit.list({ action: 'sign_out' }).at(0)?.details).toBe('{"reason":"timeout"}')
  })
})

describe('PIN rules', () => {
  it('waits 1, 2, 4, 8 s after the first four failures', () => {
    expect([0, 1, 2, 3, 4].map(retryDelaySeconds)).toEqual([0, 1, 2, 4, 8])
  })

  it.each(['000000', '111111', '123456', '654321', '0123456789'])('refuses the obvious PIN %s', (pin) => {
    expect(isWeakPin(pin)).toBe(true)
  })

  it.each(['246813', '135792', '902417'])('accepts %s', (pin) => {
    expect(isWeakPin(pin)).toBe(false)
  })
})

describe('lockout that ends by itself (nobody can lock the supervisors out for good)', () => {
  it('locks for 15 min after the fifth wrong PIN, doubles after each wrong PIN once a lock ends, and a right PIN then opens it', async () => {
    const clock = manualClock()
    const { kiosk, signedIn } = openKiosk({ clock, role: null })
    await signedIn
    await kiosk.sessions.createOperator({ operatorId: 'sup-9', name: 'Sri', role: 'supervisor', pin: TEST_PIN })
    const signIn = (pin: string) => kiosk.call('session.signIn', { operatorId: 'sup-9', pin })
    for (const wait of [0, 1, 2, 4]) {
      clock.advance(wait * 1000)
      expect(await signIn('999999')).toMatchObject({ ok: false, error: { code: 'wrong_pin' } })
    }
    clock.advance(8000)
    expect(await signIn('999999')).toMatchObject({ ok: false, error: { code: 'account_locked', details: { retryInSeconds: 15 * 60 } } })
    // Locked: even the right PIN waits, and says how long.
    clock.advance(14 * 60_000)
    expect(await signIn(TEST_PIN)).toMatchObject({ ok: false, error: { code: 'account_locked', details: { retryInSeconds: 60 } } })
    clock.advance(60_000)
    // The lock ran out; one more wrong PIN locks it again for twice as long.
    expect(await signIn('999999')).toMatchObject({ ok: false, error: { code: 'account_locked', details: { retryInSeconds: 30 * 60 } } })
    clock.advance(30 * 60_000)
    expect(await signIn(TEST_PIN)).toMatchObject({ ok: true, value: { status: 'active', operator: { id: 'sup-9' } } })
    expect(kiosk.sessions.listOperators().find((o) => o.id === 'sup-9')).toMatchObject({ locked: false, failedAttempts: 0 })
    expect(kiosk.audit.list({ action: 'lockout' }).map((r) => JSON.parse(r.details) as unknown)).toEqual([{ seconds: 1800 }, { seconds: 900 }])
  })

  it.each([
    [4, 0],
    [5, 15 * 60],
    [6, 30 * 60],
    [7, 60 * 60],
    [12, 24 * 60 * 60],
    [40, 24 * 60 * 60],
  ])('after %i wrong PINs the lock lasts %i s', (failures, seconds) => {
    expect(lockoutSeconds(failures)).toBe(seconds)
  })

  it('IT can see a locked supervisor and unlock them, audited, when no supervisor can', async () => {
    const clock = manualClock()
    const { kiosk, signedIn } = openKiosk({ clock, role: 'it' })
    await signedIn
    await kiosk.sessions.createOperator({ operatorId: 'sup-9', name: 'Sri', role: 'supervisor', pin: TEST_PIN })
    for (let i = 0; i < 5; i++) {
      await kiosk.sessions.signIn('sup-9', '999999').catch(() => undefined)
      clock.advance(60_000)
    }
    await kiosk.sessions.signIn('it-1', TEST_PIN)
    const listed = await kiosk.call('operators.list')
    expect(listed).toMatchObject({ ok: true })
    expect((listed as { value: { operators: Array<{ id: string; locked: boolean }> } }).value.operators.find((o) => o.id === 'sup-9')?.locked).toBe(true)
    expect(await kiosk.call('operators.unlock', { operatorId: 'sup-9' })).toMatchObject({ ok: true, value: { id: 'sup-9', locked: false } })
    expect(kiosk.audit.list({ action: 'settings_change' }).at(0)).toMatchObject({ actor: 'it-1', details: '{"operator_unlocked":"sup-9"}' })
    // Unlocking is all IT may do with staff: adding or deactivating stays the supervisors'.
    expect(await kiosk.call('operators.setActive', { operatorId: 'sup-9', active: false })).toMatchObject({ ok: false, error: { code: 'forbidden' } })
  })
})

describe('sign-in on a self-service kiosk', () => {
  it('five wrong sign-ins, whoever they name, make the kiosk itself wait 15 min: no cycling through every id', async () => {
    const clock = manualClock()
    const { kiosk, signedIn } = openKiosk({ clock, role: null, config: { mode: 'self-service' } })
    await signedIn
    for (const id of ['sup-a', 'sup-b', 'sup-c']) await kiosk.sessions.createOperator({ operatorId: id, name: id, role: 'supervisor', pin: TEST_PIN })
    for (const id of ['sup-a', 'sup-b', 'sup-c', 'nobody', 'sup-a']) {
      expect(await kiosk.call('session.signIn', { operatorId: id, pin: '999999' })).toMatchObject({ ok: false })
      clock.advance(2000)
    }
    const refused = await kiosk.call('session.signIn', { operatorId: 'sup-b', pin: TEST_PIN })
    expect(refused).toMatchObject({ ok: false, error: { code: 'too_many_attempts', details: { scope: 'kiosk' } } })
    // No operator got near a lock from it.
    expect(kiosk.sessions.listOperators().every((o) => !o.locked && o.failedAttempts <= 2)).toBe(true)
    clock.advance(15 * 60_000)
    expect(await kiosk.call('session.signIn', { operatorId: 'sup-b', pin: TEST_PIN })).toMatchObject({ ok: true, value: { status: 'active' } })
  })

  it('at the staff desk the limit is per operator only', async () => {
    const clock = manualClock()
    const { kiosk, signedIn } = openKiosk({ clock, role: null })
    await signedIn
    for (const id of ['sup-a', 'sup-b']) await kiosk.sessions.createOperator({ operatorId: id, name: id, role: 'supervisor', pin: TEST_PIN })
    for (let i = 0; i < 6; i++) {
      await kiosk.call('session.signIn', { operatorId: 'nobody', pin: '999999' })
      clock.advance(2000)
    }
    expect(await kiosk.call('session.signIn', { operatorId: 'sup-b', pin: TEST_PIN })).toMatchObject({ ok: true })
  })
})
