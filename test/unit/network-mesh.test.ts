import { describe, expect, it } from 'vitest'
import { GONE_AFTER_MS } from '../../main/services/network/mesh'
import { parseAddress } from '../../main/services/network/discovery'
import { MALANG, SURABAYA } from '../central/testkit'
import { testCentral } from './helpers'
import type { Desk } from './network-kit'
import { freePorts } from '../fixtures/ports'
import { enrolDesk, eventually, postDesks, reopenDesk } from './network-kit'

/**
 * Issue 21.2 (finding each other, continuously): three real desks on loopback with IT's configured addresses; each
 * connects to the other two by itself, one that stops is shown gone, and it comes back by itself when it restarts.
 * (mDNS for real: network-mdns.test.ts.)
 */
const connected = (desk: Desk) =>
  desk.kiosk.network
    .peers()
    .filter((p) => p.state === 'connected')
    .map((p) => p.kioskId)
    .sort()

describe('the post network finds its desks', () => {
  it('three desks connect to each other; one that stops is gone; it comes back by itself', async () => {
    expect(GONE_AFTER_MS).toBe(10_000)
    const { central } = await testCentral()
    const desks = await postDesks(central, SURABAYA.postId, 3, { roundMs: 100, goneAfterMs: 1000 })
    for (const desk of desks) expect(await desk.kiosk.network.start()).toBeGreaterThan(0)
    const ids = desks.map((d) => d.kioskId)
    for (const [i, desk] of desks.entries()) {
      await eventually(() => JSON.stringify(connected(desk)) === JSON.stringify(ids.filter((_, j) => j !== i).sort()), 8000, `desk ${i} connected`)
    }
    const [a, b, c] = desks as [Desk, Desk, Desk]
    expect(a.kiosk.network.peers().find((p) => p.kioskId === c.kioskId)).toMatchObject({ state: 'connected', name: 'Meja 3' })

    // A kiosk of another post dialling A: IT's list at A (over IPC) names it as from another post.
    const [mPort] = await freePorts(1)
    const m = await enrolDesk(central, MALANG.postId, { port: mPort!, peers: [`127.0.0.1:${a.net!.port}`], roundMs: 100, goneAfterMs: 1000 })
    await m.kiosk.network.start()
    await eventually(() => a.kiosk.network.peers().some((p) => p.reason === 'other_post'), 8000, 'other post listed')
    const listed = (await a.kiosk.call('network.peers')) as { ok: true; value: { peers: Array<{ state: string; reason: string | null; name: string | null }> } }
    expect(listed.ok).toBe(true)
    expect(listed.value.peers).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ state: 'connected', name: 'Meja 2' }),
        expect.objectContaining({ state: 'connected', name: 'Meja 3' }),
        expect.objectContaining({ state: 'refused', reason: 'other_post' }),
      ]),
    )
    m.close()

    // C stops: A and B show it gone.
    c.close()
    await eventually(() => a.kiosk.network.peers().find((p) => p.kioskId === c.kioskId)?.state === 'gone', 5000, 'C gone at A')
    await eventually(() => b.kiosk.network.peers().find((p) => p.kioskId === c.kioskId)?.state === 'gone', 5000, 'C gone at B')
    expect(connected(a)).toEqual([b.kioskId])

    // C starts again on its port: it is back at A and B without anyone doing anything.
    const again = reopenDesk(c, c.net)
    await again.kiosk.network.start()
    await eventually(() => connected(a).includes(c.kioskId) && connected(b).includes(c.kioskId), 8000, 'C back')
    await eventually(() => connected(again).length === 2, 8000, 'C sees both')
    // …and A and B dial C again themselves (the log pull runs on their own connections, not only C's).
    const dialled = (desk: Desk) => desk.kiosk.network.mesh()!.connected().map((c) => c.peer.kioskId)
    await eventually(() => dialled(a).includes(c.kioskId) && dialled(b).includes(c.kioskId), 8000, 'A and B dial C')
  })

  it('reads IT\'s addresses as host or host:port', () => {
    expect(parseAddress('192.168.1.12', 47710)).toEqual({ host: '192.168.1.12', port: 47710 })
    expect(parseAddress(' 192.168.1.12:5000 ', 47710)).toEqual({ host: '192.168.1.12', port: 5000 })
    expect(parseAddress('meja-2.local:5000', 47710)).toEqual({ host: 'meja-2.local', port: 5000 })
    expect(parseAddress('10.0.0.1:99999', 47710)).toBeNull()
    expect(parseAddress('http://x/', 47710)).toBeNull()
  })
})

