import { describe, expect, it } from 'vitest'
import type { Access, Role } from '../../common/authz'
import { access, decideAccess } from '../../common/authz'
import type { Channel } from '../../common/contract'
import { channels } from '../../common/contract'
import { openKiosk } from './helpers'

/**
 * Every channel × every role (and signed out): the dispatcher enforces `common/authz.ts`. Calls carry an input no
 * channel accepts, so an allowed call answers `invalid_input` (the door opened, nothing ran) and a refused one
 * `forbidden` or `unauthenticated`: the matrix runs with no side effects.
 */
const PROBE = { __probe: true }
const principals: Array<Role | null> = [null, 'operator', 'supervisor', 'it']


describe('authorisation matrix', () => {
  for (const mode of ['assisted', 'self-service'] as const) {
    it(`enforces the access table for every channel and principal (${mode})`, async () => {
      const expected: string[] = []
      const actual: string[] = []
      for (const role of principals) {
        const { kiosk, signedIn } = openKiosk({ role, config: { mode } })
        await signedIn
        for (const channel of channels) {
          const decision = decideAccess(channel, role, mode)
          expected.push(`${role ?? 'signed-out'} ${channel} ${decision === 'allowed' ? 'invalid_input' : decision}`)
          const result = await kiosk.call(channel, PROBE)
          actual.push(`${role ?? 'signed-out'} ${channel} ${result.ok ? 'ok' : result.error.code}`)
        }
      }
      expect(actual).toEqual(expected)
    })
  }

  it('pins the rules that protect personal data', () => {
    const allowed = (role: Role | null, mode: 'assisted' | 'self-service' = 'assisted') =>
      channels.filter((c) => decideAccess(c, role, mode) === 'allowed')
    // IT keeps kiosks running and never sees an applicant.
    for (const c of ['registration.get', 'registration.find', 'registration.listRejected', 'registration.submit', 'photo.process'] as const) {
      expect(allowed('it')).not.toContain(c)
    }
    // Operators register and fix, but manage nobody and erase nothing.
    for (const c of ['operators.list', 'operators.create', 'operators.unlock', 'audit.list', 'audit.verify', 'retention.purge', 'report.day'] as const) {
      expect(allowed('operator')).not.toContain(c)
      expect(allowed('supervisor')).toContain(c)
    }
    // The anomaly screen names applicants and decides which record stands: supervisors only (issue 21.4).
    for (const c of ['network.anomalies', 'network.markDuplicate'] as const) {
      expect(principals.filter((role) => decideAccess(c, role, 'assisted') === 'allowed')).toEqual(['supervisor'])
    }
    // A self-service applicant can register and nothing else that touches records.
    // (registration.draftState only says "a form is open", so updates wait; it carries nothing of the applicant.
    // registration.checkNik answers an applicant only "registered", which a submit would say too: nik-check.test.ts.)
    expect(allowed(null, 'self-service').filter((c) => c.startsWith('registration.') && c !== 'registration.draftState')).toEqual([
      'registration.validate',
      'registration.submit',
      'registration.checkNik',
    ])
    // Parked drafts are staff's: an applicant can neither park nor see one (issue 19.2).
    expect(allowed(null, 'self-service').filter((c) => c.startsWith('drafts.'))).toEqual([])
    expect(allowed('it').filter((c) => c.startsWith('drafts.'))).toEqual([])
    // The post's figures and desks are staff's: an applicant at a self-service kiosk sees no other desk (issue 21.4).
    expect(allowed(null, 'self-service').filter((c) => c.startsWith('network.'))).toEqual([])
    for (const role of ['operator', 'supervisor', 'it'] as const) expect(allowed(role)).toContain('network.post')
    expect(allowed(null, 'assisted').filter((c) => !(access[c] as Access).public)).toEqual([])
  })

  it('a locked session can do nothing but unlock, sign out of the lock screen, and read public facts', async () => {
    const { kiosk, signedIn } = openKiosk()
    await signedIn
    kiosk.sessions.lock()
    for (const channel of channels) {
      const result = await kiosk.call(channel, PROBE)
      const expected = access[channel as Channel] && 'public' in access[channel] ? 'invalid_input' : 'session_locked'
      expect(result.ok ? 'ok' : result.error.code, channel).toBe(expected)
    }
  })
})
