import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { REJECTED_BY_CENTRAL } from '../central/batch'
import { FaultSpecError, parseFaultSpec } from '../central/faults'
import { fakeJpeg, makeValidRecords } from '../central/fixtures'
import { CAPTIVE_PORTAL_HTML } from '../central/server'
import { SURABAYA } from '../central/testkit'
import { testCentral } from './helpers'

interface Answer {
  batchId: string
  results: Array<{ id: string; status: string; centralId?: string; errors?: unknown[] }>
}

/** What a client observes of one request: the failure it has to handle, or the parsed answer. */
async function observe(request: Promise<Response>): Promise<{ outcome: string; status?: number; body?: string }> {
  let res: Response
  try {
    res = await request
  } catch {
    return { outcome: 'network-error' }
  }
  let body: string
  try {
    body = await res.text()
  } catch {
    return { outcome: 'body-error', status: res.status }
  }
  if (!(res.headers.get('content-type') ?? '').startsWith('application/json')) return { outcome: 'not-json', status: res.status, body }
  try {
    JSON.parse(body)
  } catch {
    return { outcome: 'unparsable', status: res.status, body }
  }
  return { outcome: 'json', status: res.status, body }
}

describe('central faults: spec grammar', () => {
  it('parses the documented example into rates, latency range and seed', () => {
    expect(parseFaultSpec('latency=20-200,error=0.1,503=0.05,429=0.05,drop=0.05,truncate=0.05,captive=0.02,partial=0.1,slow=0.02,seed=42')).toEqual({
      seed: 42,
      latencyMs: [20, 200],
      rates: { error: 0.1, '503': 0.05, '429': 0.05, drop: 0.05, truncate: 0.05, captive: 0.02, partial: 0.1, slow: 0.02 },
      retryAfterS: 1,
      slowMs: 2000,
    })
    expect(parseFaultSpec('latency=50, retry-after=3, slow-ms=100, drop-after=0.5')).toEqual({
      seed: 1,
      latencyMs: [50, 50],
      rates: { 'drop-after': 0.5 },
      retryAfterS: 3,
      slowMs: 100,
    })
  })

  it('refuses unknown faults, bad probabilities and rates adding up past 1', () => {
    expect(() => parseFaultSpec('explode=0.1')).toThrow(FaultSpecError)
    expect(() => parseFaultSpec('error=1.5')).toThrow('error: expected a probability 0–1, got "1.5"')
    expect(() => parseFaultSpec('latency=200-20')).toThrow('latency: 200-20 is an empty range')
    expect(() => parseFaultSpec('error=0.6,drop=0.6')).toThrow('fault rates add up to 1.200, more than 1')
  })

  it('a server will not start with a bad spec', async () => {
    await expect(testCentral({ faults: 'drop=2' })).rejects.toThrow(FaultSpecError)
  })
})

describe('central faults: each kind, asked for by header', () => {
  it('latency delays the answer', async () => {
    const env = await testCentral()
    const t0 = performance.now()
    const res = await env.client.health({ fault: 'latency=150' })
    expect(res.status).toBe(200)
    expect(performance.now() - t0).toBeGreaterThanOrEqual(145)
  })

  it('500 and 503 answer JSON errors (503 with Retry-After); 502 answers a proxy HTML page', async () => {
    const env = await testCentral()
    const e500 = await env.client.health({ fault: '500' })
    expect([e500.status, await e500.json()]).toEqual([500, { error: { code: 'internal', message: 'internal server error (injected)' } }])
    const e503 = await env.client.health({ fault: '503=7' })
    expect([e503.status, e503.headers.get('retry-after'), await e503.json()]).toEqual([503, '7', { error: { code: 'unavailable', message: 'service unavailable' } }])
    const e502 = await env.client.health({ fault: '502' })
    expect([e502.status, e502.headers.get('content-type')]).toEqual([502, 'text/html'])
    expect(await e502.text()).toContain('502 Bad Gateway')
  })

  it('429 starts a storm: every request gets 429 until Retry-After has passed', async () => {
    const env = await testCentral({ faults: { retryAfterS: 1 } })
    const first = await env.client.health({ fault: '429' })
    expect([first.status, first.headers.get('retry-after')]).toEqual([429, '1'])
    const during = await env.client.postBatch(makeValidRecords(1, SURABAYA.postId))
    expect([during.status, during.headers.get('retry-after')]).toEqual([429, '1'])
    expect(env.central.stats().accepted).toBe(0)
    await new Promise((resolve) => setTimeout(resolve, 1050))
    expect((await env.client.health()).status).toBe(200)
  })

  it('drop-before closes the connection without applying the batch', async () => {
    const env = await testCentral()
    const seen = await observe(env.client.postBatch(makeValidRecords(2, SURABAYA.postId), { fault: 'drop-before' }))
    expect(seen).toEqual({ outcome: 'network-error' })
    expect(env.central.stats()).toEqual({ records: 0, accepted: 0, duplicate: 0, rejected: 0, photos: 0, batches: 0 })
  })

  it('drop-after commits the batch, closes the connection, and a resend with the same key gets the committed answer', async () => {
    const env = await testCentral()
    const records = makeValidRecords(3, SURABAYA.postId)
    const batchId = randomUUID()
    expect(await observe(env.client.postBatch(records, { batchId, fault: 'drop-after' }))).toEqual({ outcome: 'network-error' })
    expect(env.central.stats()).toEqual({ records: 3, accepted: 3, duplicate: 0, rejected: 0, photos: 0, batches: 1 })

    const resent = await env.client.postBatch(records, { batchId })
    expect(resent.status).toBe(200)
    expect(resent.headers.get('idempotent-replayed')).toBe('true')
    const committed = records.map((r, i) => ({ id: r.id, status: 'accepted', centralId: `C-00000000${i + 1}` }))
    expect(await resent.json()).toEqual({ batchId, results: committed })
    // A kiosk that lost the batch id too (crash) sends the records in a new batch: same answers, nobody twice.
    const rebatched = (await (await env.client.postBatch(records)).json()) as Answer
    expect(rebatched.results).toEqual(committed)
    expect(env.central.stats()).toEqual({ records: 3, accepted: 3, duplicate: 0, rejected: 0, photos: 0, batches: 2 })
  })

  it('drop-after on a photo stores it; the resend answers 200', async () => {
    const env = await testCentral()
    const photo = fakeJpeg('dropped')
    expect(await observe(env.client.putPhoto(photo.bytes, { fault: 'drop-after' }))).toEqual({ outcome: 'network-error' })
    expect((await env.client.putPhoto(photo.bytes)).status).toBe(200)
  })

  it('truncate answers 200 with the JSON cut in half; the batch is committed and a resend gets it whole', async () => {
    const env = await testCentral()
    const records = makeValidRecords(3, SURABAYA.postId)
    const batchId = randomUUID()
    const cut = await observe(env.client.postBatch(records, { batchId, fault: 'truncate' }))
    expect(cut.outcome).toBe('unparsable')
    expect(cut.status).toBe(200)
    const whole = await (await env.client.postBatch(records, { batchId })).text()
    expect(cut.body).toBe(whole.slice(0, Math.floor(whole.length / 2)))
    expect(env.central.stats().accepted).toBe(3)
  })

  it('captive answers 200 with an HTML login page and never reaches central', async () => {
    const env = await testCentral()
    const res = await env.client.postBatch(makeValidRecords(1, SURABAYA.postId), { fault: 'captive' })
    expect([res.status, res.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8'])
    expect(await res.text()).toBe(CAPTIVE_PORTAL_HTML)
    expect(env.central.stats().records).toBe(0)
  })

  it('partial rejects the records at even positions as real, stored rejections that can be sent again', async () => {
    const env = await testCentral()
    const records = makeValidRecords(5, SURABAYA.postId)
    const batchId = randomUUID()
    const answer = (await (await env.client.postBatch(records, { batchId, fault: 'partial' })).json()) as Answer
    const rejected = { status: 'rejected', errors: [{ path: [], message: REJECTED_BY_CENTRAL }] }
    expect(answer.results).toEqual([
      { id: records[0]!.id, ...rejected },
      { id: records[1]!.id, status: 'accepted', centralId: 'C-000000001' },
      { id: records[2]!.id, ...rejected },
      { id: records[3]!.id, status: 'accepted', centralId: 'C-000000002' },
      { id: records[4]!.id, ...rejected },
    ])
    // The replay is the same answer: the rejection is what central said for that batch.
    expect(((await (await env.client.postBatch(records, { batchId })).json()) as Answer).results).toEqual(answer.results)
    expect(await (await env.client.getRegistration(records[0]!.id)).json()).toEqual({ id: records[0]!.id, centralId: null, verification: 'pending', ...rejected })
    const again = (await (await env.client.postBatch([records[0]!, records[2]!, records[4]!])).json()) as Answer
    expect(again.results.map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted'])
    expect(env.central.stats()).toEqual({ records: 5, accepted: 5, duplicate: 0, rejected: 0, photos: 0, batches: 2 })
  })

  it('slow trickles the body in pieces over the given time, and it arrives whole', async () => {
    const env = await testCentral()
    const t0 = performance.now()
    const res = await env.client.postBatch(makeValidRecords(3, SURABAYA.postId), { fault: 'slow=400' })
    expect(res.status).toBe(200)
    const reader = res.body!.getReader()
    const pieces: Uint8Array[] = []
    for (let next = await reader.read(); !next.done; next = await reader.read()) pieces.push(next.value)
    expect(performance.now() - t0).toBeGreaterThanOrEqual(380)
    expect(pieces.length).toBeGreaterThan(5)
    const answer = JSON.parse(Buffer.concat(pieces).toString()) as Answer
    expect(answer.results.map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted'])
  })

  it('an unknown kind in the header is a 400', async () => {
    const env = await testCentral()
    const res = await env.client.health({ fault: 'meteor' })
    expect([res.status, await res.json()]).toEqual([400, { error: { code: 'invalid_fault', message: 'unknown fault kind "meteor"' } }])
  })

  it('the header is ignored unless the server was started with allowFaultHeader', async () => {
    const env = await testCentral({ allowFaultHeader: false })
    expect((await env.client.health({ fault: '500' })).status).toBe(200)
    expect((await env.client.health({ fault: 'meteor' })).status).toBe(200)
  })
})

describe('central faults: seeded chaos', () => {
  const sequence = async (faults: string) => {
    const env = await testCentral({ faults, allowFaultHeader: false })
    const seen: string[] = []
    for (let i = 0; i < 60; i++) {
      const o = await observe(env.client.health())
      seen.push(`${o.outcome}:${o.status ?? '-'}`)
    }
    return seen
  }

  it('the same seed gives the same faults in the same order; another seed does not', async () => {
    const spec = 'error=0.2,captive=0.1,truncate=0.1,drop-before=0.1'
    const a = await sequence(`${spec},seed=42`)
    const b = await sequence(`${spec},seed=42`)
    const c = await sequence(`${spec},seed=43`)
    expect(b).toEqual(a)
    expect(c).not.toEqual(a)
    expect(new Set(a)).toEqual(new Set(['json:200', 'json:500', 'not-json:502', 'json:503', 'not-json:200', 'unparsable:200', 'network-error:-']))
  })

  it('under every fault at once, a retrying client gets each record accepted exactly once and central agrees', async () => {
    const env = await testCentral({
      faults: 'latency=0-3,error=0.1,429=0.05,drop=0.15,truncate=0.1,captive=0.05,partial=0.15,slow=0.05,retry-after=0,slow-ms=20,seed=7',
      allowFaultHeader: false,
    })
    const records = makeValidRecords(120, SURABAYA.postId)
    const heard = new Map<string, string>()
    let attempts = 0
    /** What an uploader does: resend the same batch (same key) until a parsed answer for it arrives. */
    const upload = async (batch: typeof records): Promise<Answer> => {
      const batchId = randomUUID()
      for (;;) {
        attempts++
        const o = await observe(env.client.postBatch(batch, { batchId }))
        if (o.outcome !== 'json' || o.status !== 200) continue
        const answer = JSON.parse(o.body!) as Answer
        if (answer.batchId === batchId && answer.results.length === batch.length) return answer
      }
    }
    let pending = records
    for (let round = 0; pending.length > 0 && round < 20; round++) {
      const retry: typeof records = []
      for (let i = 0; i < pending.length; i += 20) {
        const batch = pending.slice(i, i + 20)
        const answer = await upload(batch)
        answer.results.forEach((r, j) => {
          if (r.status === 'accepted') heard.set(r.id, r.centralId!)
          else retry.push(batch[j]!)
        })
      }
      pending = retry
    }
    expect(pending).toEqual([])
    expect(attempts).toBeGreaterThan(Math.ceil(120 / 20))
    expect(env.central.stats()).toMatchObject({ records: 120, accepted: 120, duplicate: 0, rejected: 0 })
    const stored = env.central.db.prepare('SELECT record_id AS id, central_id AS centralId FROM registrations ORDER BY seq').all() as Array<{ id: string; centralId: string }>
    expect(stored).toHaveLength(120)
    expect(new Map(stored.map((r) => [r.id, r.centralId]))).toEqual(heard)
  })
})
