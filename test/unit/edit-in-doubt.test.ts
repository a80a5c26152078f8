import { describe, expect, it } from 'vitest'
import type { Receipt, RegistrationView } from '../../common/records'
import type { Result } from '../../common/result'
import type { CallFailure } from '../../main/services/central/client'
import { mayHaveArrived } from '../../main/services/central/client'
import { CUT_RETRIES } from '../../main/services/upload/uploader'
import { makeDraft } from '../fixtures/drafts'
import { demoCentral, firstBatchFault, manualClock, openKiosk } from './helpers'

function value<T>(result: Result<unknown>): T {
  if (!result.ok) throw new Error(JSON.stringify(result.error))
  return result.value as T
}

/**
 * The audit's reproduction: a batch commits at central, its answer is lost, the record returns to `queued`, staff
 * edit it, and the re-send gets central's stored `accepted` — central keeps the old version, the kiosk shows the new.
 */
describe('a record central may already hold is not edited as if it had not', () => {
  it('after a lost answer the edit is refused until central answers; then central and the kiosk hold the same version', async () => {
    const { central, token } = await demoCentral()
    const clock = manualClock()
    // Every try of the run loses its answer: the first and those sent again at once after a cut (uploader.ts).
    const { kiosk } = openKiosk({ config: { centralUrl: central.url }, centralToken: token, upload: { clock, transport: firstBatchFault('drop-after', 1 + CUT_RETRIES) } })
    const receipt = value<Receipt>(await kiosk.call('registration.submit', { draft: makeDraft() }))

    await kiosk.uploader.runOnce()
    expect(central.stats().accepted).toBe(1)
    expect(kiosk.store.record(receipt.id)?.state).toBe('queued')
    expect(kiosk.store.outbox()).toMatchObject([{ recordId: receipt.id, inDoubt: true }])

    const edited = makeDraft({ fullName: 'SITI EDITED AFTER UPLOAD' })
    expect(await kiosk.call('registration.update', { id: receipt.id, draft: edited })).toMatchObject({
      ok: false,
      error: { code: 'conflict', details: { reason: 'awaiting_central' } },
    })

    clock.advance(10 * 60_000)
    await kiosk.uploader.runOnce()
    expect(kiosk.store.record(receipt.id)?.state).toBe('accepted')
    const atCentral = JSON.parse(central.db.prepare('SELECT record FROM registrations').pluck().get() as string) as { fullName: string }
    const atKiosk = value<RegistrationView>(await kiosk.call('registration.get', { id: receipt.id })).record
    expect(atKiosk.fullName).toBe(atCentral.fullName)
    expect(atKiosk.fullName).not.toBe('SITI EDITED AFTER UPLOAD')
  })

  it('a central that could not be reached stored nothing: the record stays editable', async () => {
    const clock = manualClock()
    // Port 9 on loopback: connection refused, nothing sent.
    const { kiosk } = openKiosk({ config: { centralUrl: 'http://127.0.0.1:9' }, centralToken: 'x'.repeat(32), upload: { clock } })
    const receipt = value<Receipt>(await kiosk.call('registration.submit', { draft: makeDraft() }))
    await kiosk.uploader.runOnce()
    expect(kiosk.store.outbox()).toMatchObject([{ recordId: receipt.id, inDoubt: false, lastError: 'transient:unreachable' }])
    // Staff read it as what it is: no connection.
    expect(kiosk.uploader.state()).toMatchObject({ lastError: 'network' })
    expect(await kiosk.call('registration.update', { id: receipt.id, draft: makeDraft({ fullName: 'SITI CORRECTED' }) })).toMatchObject({ ok: true })
  })

  it.each([
    [{ kind: 'transient', reason: 'timeout' }, true],
    [{ kind: 'transient', reason: 'network' }, true],
    [{ kind: 'transient', reason: 'http_500' }, true],
    [{ kind: 'malformed', reason: 'not_json' }, true],
    [{ kind: 'transient', reason: 'unreachable' }, false],
    [{ kind: 'retry_after', seconds: 30, status: 503 }, false],
    [{ kind: 'auth', status: 401 }, false],
    [{ kind: 'conflict' }, false],
    [{ kind: 'too_large' }, false],
    [{ kind: 'bad_request', reason: 'http_400' }, false],
  ] as Array<[CallFailure, boolean]>)('%j may have reached central: %s', (failure, expected) => {
    expect(mayHaveArrived(failure)).toBe(expected)
  })
})
