import { describe, expect, it } from 'vitest'
import type { SessionState } from '../../common/staff'
import { isWeakPin, retryDelaySeconds } from '../../main/services/sessions/sessions'
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
