import { describe, expect, it } from 'vitest'
import type { EncodedPhotoPack } from '../../main/services/central/client'
import { createCentralClient } from '../../main/services/central/client'
import { encodePhotoPack } from '../../main/services/central/photo-pack'
import { nodeTransport } from '../../main/services/central/transport'
import type { Transport } from '../../main/services/central/transport'
import { createMemoryLogger } from '../../main/services/platform/logger'
import { createPhotoSender } from '../../main/services/upload/photo-sender'
import { fakeJpeg } from '../central/fixtures'
import { demoCentral } from './helpers'

/** Packs of `perPack` photos, built only when asked for: each step says so in `log`. */
function* lazyPacks(log: string[], count: number, perPack = 2, breakAt?: number): Generator<EncodedPhotoPack> {
  for (let i = 1; i <= count; i++) {
    if (i === breakAt) throw new Error(`photo ${i} cannot be opened`)
    const photos = Array.from({ length: perPack }, (_, j) => fakeJpeg(`sender-${i}-${j}`))
    log.push(`built ${i}`)
    yield { sha256s: photos.map((p) => p.sha256), body: encodePhotoPack(photos.map((p) => ({ sha256: p.sha256, jpeg: p.bytes }))) }
  }
}

/** Node's transport, noting in `log` when each pack's answer is back. */
function answering(log: string[]): Transport {
  let answered = 0
  return async (url, request) => {
    const response = await nodeTransport(url, request)
    log.push(`answered ${++answered}`)
    return response
  }
}

async function sender(log: string[], concurrency: number) {
  const { central, token } = await demoCentral()
  const client = createCentralClient({ baseUrl: central.url, token, transport: answering(log) })
  return { central, send: createPhotoSender({ client, concurrency, logger: createMemoryLogger() }) }
}

describe('the photo sender', () => {
  it('takes the next pack only when a lane is free: with one lane, a pack is read after the one before is answered', async () => {
    const log: string[] = []
    const { central, send } = await sender(log, 1)
    const marks: string[][] = []
    expect(await send.send(lazyPacks(log, 3), (shas) => marks.push([...shas]))).toBeNull()
    expect(log).toEqual(['built 1', 'answered 1', 'built 2', 'answered 2', 'built 3', 'answered 3'])
    expect(central.stats().photos).toBe(6)
    // Marked once, after the last pack: one commit per batch on the kiosk, not one per pack.
    expect(marks).toHaveLength(1)
    expect(marks[0]).toHaveLength(6)
  })

  it('keeps two packs on the wire with two lanes', async () => {
    const log: string[] = []
    const { send } = await sender(log, 2)
    expect(await send.send(lazyPacks(log, 3), () => undefined)).toBeNull()
    expect(log.slice(0, 2)).toEqual(['built 1', 'built 2'])
    expect(log.filter((l) => l.startsWith('answered'))).toHaveLength(3)
  })

  it('a pack that fails while another lane’s pack is still on the wire fails the call: the batch never goes without its photos', async () => {
    const log: string[] = []
    const { central, token } = await demoCentral()
    let batches = 0
    // The first pack is refused at once (500), the second answered only later: the slow lane finishes last.
    const transport: Transport = async (url, request) => {
      if (new URL(url).pathname !== '/v1/photos:batch') return nodeTransport(url, request)
      const n = ++batches
      if (n === 1) return nodeTransport(url, { ...request, headers: { ...request.headers, 'x-posko-fault': '500' } })
      await new Promise((resolve) => setTimeout(resolve, 300))
      return nodeTransport(url, request)
    }
    const send = createPhotoSender({ client: createCentralClient({ baseUrl: central.url, token, transport }), concurrency: 2, logger: createMemoryLogger() })
    const marked: string[] = []
    expect(await send.send(lazyPacks(log, 2), (shas) => marked.push(...shas))).toMatchObject({ kind: 'transient' })
    expect(central.stats().photos).toBe(2)
    expect(marked).toHaveLength(2)
  })

  it('a pack that cannot be read stops the rest and fails the call; what central confirmed before is still marked', async () => {
    const log: string[] = []
    const { central, send } = await sender(log, 1)
    const marks: string[][] = []
    await expect(send.send(lazyPacks(log, 4, 2, 3), (shas) => marks.push([...shas]))).rejects.toThrow('photo 3 cannot be opened')
    expect(log).toEqual(['built 1', 'answered 1', 'built 2', 'answered 2'])
    expect(central.stats().photos).toBe(4)
    expect(marks.flat()).toHaveLength(4)
  })
})
