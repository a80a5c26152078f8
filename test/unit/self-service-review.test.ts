import { describe, expect, it } from 'vitest'
import type { QueueStatus, Receipt } from '../../common/records'
import type { Result } from '../../common/result'
import { makeDraft, nikFor } from '../fixtures/drafts'
import { openKiosk } from './helpers'

function value<T>(result: Result<unknown>): T {
  if (!result.ok) throw new Error(JSON.stringify(result.error))
  return result.value as T
}

describe('self-service registrations held for staff review', () => {
  it('are committed and marked self-service, held from upload until staff approve them', async () => {
    const { kiosk, dataDir, close } = openKiosk({ role: null, config: { mode: 'self-service', selfServiceReview: true } })
    const receipt = value<Receipt>(await kiosk.call('registration.submit', { draft: makeDraft() }))
    const stored = kiosk.store.record(receipt.id)
    expect(stored && { self_service: Number(stored.selfService), operator_id: stored.operatorId }).toEqual({ self_service: 1, operator_id: null })
    expect(kiosk.store.outbox().find((o) => o.recordId === receipt.id)?.held).toBe(true)
    expect(kiosk.uploader.state().pending).toBe(0)
    // The applicant cannot see the queue, the review list or approve.
    expect(await kiosk.call('queue.status')).toMatchObject({ ok: false, error: { code: 'unauthenticated' } })
    expect(await kiosk.call('registration.listReview')).toMatchObject({ ok: false, error: { code: 'unauthenticated' } })
    close()

    // Staff sign in at the same kiosk (as after the supervisor gesture) and approve.
    const staff = openKiosk({ dataDir, config: { mode: 'self-service', selfServiceReview: true } })
    expect(value<QueueStatus>(await staff.kiosk.call('queue.status')).awaitingReview).toBe(1)
    const list = value<{ results: Array<{ id: string }> }>(await staff.kiosk.call('registration.listReview'))
    expect(list.results.map((r) => r.id)).toEqual([receipt.id])
    expect(value(await staff.kiosk.call('registration.approve', { id: receipt.id }))).toMatchObject({ id: receipt.id, state: 'queued' })
    expect(staff.kiosk.uploader.state().pending).toBe(1)
    expect(value<QueueStatus>(await staff.kiosk.call('queue.status')).awaitingReview).toBe(0)
    expect(staff.kiosk.audit.list({ action: 'approve' }).map((r) => [r.actor, r.record_id])).toEqual([['sup-1', receipt.id]])
    expect(await staff.kiosk.call('registration.approve', { id: receipt.id })).toMatchObject({ ok: false, error: { code: 'conflict' } })
  })

  it('without the review setting go straight to the queue', async () => {
    const { kiosk } = openKiosk({ role: null, config: { mode: 'self-service' } })
    value(await kiosk.call('registration.submit', { draft: makeDraft({ nik: nikFor(3) }) }))
    expect(kiosk.uploader.state().pending).toBe(1)
  })
})

describe('switching the kiosk mode', () => {
  it('a supervisor switches to self-service and back; the change is audited and applies to access at once', async () => {
    const { kiosk, dataDir, close } = openKiosk()
    expect(await kiosk.call('settings.setMode', { mode: 'self-service' })).toMatchObject({ ok: true, value: { mode: 'self-service' } })
    expect(kiosk.audit.list({ action: 'settings_change' }).at(0)?.details).toBe('{"mode":"self-service"}')
    kiosk.sessions.signOut()
    // Nobody signed in: the applicant may register but not search.
    expect(await kiosk.call('registration.find', { query: '3578014101900003' })).toMatchObject({ ok: false, error: { code: 'unauthenticated' } })
    expect((await kiosk.call('registration.submit', { draft: makeDraft() })).ok).toBe(true)
    close()
    // The mode survives a restart.
    const again = openKiosk({ dataDir })
    expect(await again.kiosk.call('app.info')).toMatchObject({ ok: true, value: { mode: 'self-service' } })
  })

  it('an operator cannot switch the mode', async () => {
    const { kiosk } = openKiosk({ role: 'operator' })
    expect(await kiosk.call('settings.setMode', { mode: 'self-service' })).toMatchObject({ ok: false, error: { code: 'forbidden' } })
  })
})
