import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { channels } from '../../common/contract'
import { ErrorCode } from '../../common/result'
import { makeDraft } from '../fixtures/drafts'
import { openKiosk, TEST_PIN } from './helpers'

/**
 * Hostile input over the whole IPC surface (issue 7): ≥ 10,000 calls in CI (POSKO_FUZZ_RUNS raises it). Every call
 * answers a well-formed Result with a known error code, nothing throws or rejects, and a refused call leaves the
 * database byte-for-byte as it was.
 */
const RUNS = Number(process.env.POSKO_FUZZ_RUNS ?? 10_000)
/** Refusals that must not write anything. (A wrong PIN is a refusal that is meant to write: the failure count.) */
const NO_WRITE = new Set(['invalid_input', 'unknown_channel', 'forbidden', 'unauthenticated', 'session_locked'])

/** Mutations of a valid draft: the inputs most likely to get past a lazy validator. */
const draftMutation = fc.record({
  key: fc.constantFrom(...Object.keys(makeDraft()), '__proto__', 'constructor', 'extra'),
  value: fc.oneof(fc.anything(), fc.string({ maxLength: 3000 }), fc.constant('A'.repeat(100_000)), fc.integer(), fc.constant(null)),
}).map(({ key, value }) => ({ draft: { ...makeDraft(), [key]: value } }))

const input = fc.oneof(
  { weight: 4, arbitrary: fc.anything({ withBigInt: false, withMap: false, withSet: false, withTypedArray: true, withDate: true, maxDepth: 3 }) },
  { weight: 2, arbitrary: fc.dictionary(fc.constantFrom('language', 'id', 'query', 'draft', 'kind', 'jpegBase64', 'operatorId', 'pin', 'parent', 'date', 'name', 'role', 'active', 'action', 'limit', 'duplicateId', 'keptId'), fc.anything({ maxDepth: 2 })) },
  // The anomaly screen's mark (issue 21.4): well-formed ids of records that hold no NIK twice, and near misses.
  { weight: 1, arbitrary: fc.record({ duplicateId: fc.oneof(fc.uuid(), fc.string()), keptId: fc.oneof(fc.uuid(), fc.string()) }) },
  { weight: 2, arbitrary: draftMutation },
  { weight: 1, arbitrary: fc.constant(undefined) },
)

describe('IPC fuzz', () => {
  it(`${RUNS} hostile calls across every channel: typed answers only, and refusals change nothing`, async () => {
    const { kiosk, signedIn, operatorId } = openKiosk()
    await signedIn
    const fingerprint = () => kiosk.store.fingerprint()
    // The database's fingerprint when nothing can have written since it was taken: after a refusal it was just checked
    // unchanged, so the next call starts from it instead of hashing every table again (about half the hashing).
    let unchangedSince: string | null = null
    const codes = new Map<string, number>()
    await fc.assert(
      fc.asyncProperty(fc.oneof({ weight: 20, arbitrary: fc.constantFrom(...channels) }, { weight: 1, arbitrary: fc.string() }), input, async (channel, raw) => {
        if (kiosk.sessions.state().status !== 'active') {
          unchangedSince = null
          await kiosk.sessions.signIn(operatorId!, TEST_PIN)
        }
        const before = unchangedSince ?? fingerprint()
        unchangedSince = null
        const result = await kiosk.dispatch(channel, raw, { transport: 'test' })
        expect(typeof result.ok).toBe('boolean')
        if (!result.ok) {
          expect(ErrorCode.options).toContain(result.error.code)
          expect(typeof result.error.message).toBe('string')
          codes.set(result.error.code, (codes.get(result.error.code) ?? 0) + 1)
          // A refused mark (not_found, conflict) changes nothing either: no half-written mark, no audit row.
          if (NO_WRITE.has(result.error.code) || channel === 'network.markDuplicate') {
            const after = fingerprint()
            expect(after, `${String(channel)} ${result.error.code}`).toBe(before)
            unchangedSince = after
          }
        } else codes.set('ok', (codes.get('ok') ?? 0) + 1)
      }),
      { numRuns: RUNS, verbose: 1 },
    )
    // The run really exercised both sides of the door.
    expect(codes.get('invalid_input') ?? 0).toBeGreaterThan(RUNS / 4)
    expect(codes.get('unknown_channel') ?? 0).toBeGreaterThan(0)
    expect(codes.get('ok') ?? 0).toBeGreaterThan(0)
  }, 600_000)
})
