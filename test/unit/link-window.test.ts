import { describe, expect, it } from 'vitest'
import { createLinkWindow, type Flight } from '../../main/services/upload/link-window'

/** A clock the test moves by hand. */
function clock() {
  let t = 1_000
  return { now: () => t, advance: (ms: number) => (t += ms) }
}

/** Whether `admit` let the frame go at once (null) or made it wait (a promise), and a way to see it go later. */
function admitted(result: Promise<void> | null): { now: boolean; went: () => boolean } {
  let went = result === null
  void result?.then(() => (went = true))
  return { now: result === null, went: () => went }
}

/** Frames `from`..`to` of `bytes` each sent at once (queued on the link), then acknowledged one per `gapMs`. */
function queued(flight: Flight, time: { advance: (ms: number) => void }, from: number, to: number, bytes: number, gapMs: number) {
  for (let i = from; i <= to; i++) flight.admit(bytes)
  for (let i = from; i <= to; i++) {
    time.advance(gapMs)
    flight.stored(i)
  }
}

const settle = () => new Promise((resolve) => setImmediate(resolve))

/** Timers on the test's clock: `due()` runs those whose time has come. */
function timers(now: () => number) {
  const pending: Array<{ at: number; run: () => void }> = []
  return {
    later: (ms: number, run: () => void) => {
      const timer = { at: now() + ms, run }
      pending.push(timer)
      return () => void pending.splice(pending.indexOf(timer) >>> 0, pending.includes(timer) ? 1 : 0)
    },
    due: () => {
      for (const timer of pending.filter((t) => t.at <= now())) {
        pending.splice(pending.indexOf(timer), 1)
        timer.run()
      }
    },
  }
}

/** A window that has measured 100 000 B/s and a frame-to-acknowledgement time of 200 ms, lines 50 ms apart. */
function measured(gain = 1) {
  const time = clock()
  const timer = timers(time.now)
  const window = createLinkWindow({ now: time.now, gain, later: timer.later })
  const warm = window.flight()
  for (let i = 0; i < 8; i++) expect(warm.admit(5_000)).toBeNull()
  time.advance(200)
  // Frames acknowledged 200 ms after they went, 5 000 B each 50 ms: 100 000 B/s.
  for (let i = 1; i <= 8; i++) {
    warm.stored(i)
    time.advance(50)
  }
  warm.end()
  return { time, window, timer }
}

describe('the link window (issue 23: no more on the way than the link holds)', () => {
  it('has no limit until central has acknowledged enough to measure the link', () => {
    const time = clock()
    const window = createLinkWindow({ now: time.now })
    const flight = window.flight()
    for (let i = 0; i < 100; i++) expect(flight.admit(30_000)).toBeNull()
    expect(window.limit()).toBeNull()
  })

  it('has none on a path faster than any post’s uplink (over 100 Mbit/s: the CPU sets the pace there, not a queue)', () => {
    const time = clock()
    const window = createLinkWindow({ now: time.now })
    const flight = window.flight()
    // 20 000 B a millisecond for 400 ms, queued (all sent at once): 160 Mbit/s.
    queued(flight, time, 1, 400, 20_000, 1)
    expect(window.limit()).toBeNull()
    // The same at a tenth of the rate (16 Mbit/s) has one.
    const slowWindow = createLinkWindow({ now: time.now })
    queued(slowWindow.flight(), time, 1, 400, 2_000, 1)
    expect(slowWindow.limit()).not.toBeNull()
  })

  it('counts central’s usual commit interval, not the shortest gap: lines that bunch on the way back do not starve the link', () => {
    const time = clock()
    const window = createLinkWindow({ now: time.now })
    const flight = window.flight()
    // Thirty frames queued on the link; a frame acknowledged per line, lines 25 ms apart (central's commits), every
    // third bunched 1 ms behind the one before: ~300 000 B/s.
    for (let i = 1; i <= 30; i++) flight.admit(5_000)
    for (let i = 1; i <= 30; i++) {
      flight.stored(i)
      time.advance(i % 3 === 0 ? 1 : 25)
    }
    // The median gap (25 ms) times ≥ 200 000 B/s is ≥ 5 000 B; the shortest (1 ms) would give under 400 B, a window
    // smaller than a frame, which locks the sender at one frame per commit.
    expect(window.limit()).toBeGreaterThan(4_000)
  })

  it('reads a slow link’s rate over several of its receipt lines: lines that come in lumps do not make it look faster', () => {
    const time = clock()
    const window = createLinkWindow({ now: time.now })
    const flight = window.flight()
    for (let i = 0; i < 40; i++) flight.admit(30_000)
    time.advance(300)
    // Lines in pairs, 10 ms apart every 240 ms, each naming a 30 000 B frame: 250 000 B/s.
    for (let i = 1; i <= 40; i++) {
      flight.stored(i)
      time.advance(i % 2 === 1 ? 10 : 230)
    }
    // The shortest way (300 ms) plus the median gap (230 ms) at 250 000 B/s is 132 500 B. Over 250 ms a lump at
    // each end read 360 000 B/s, and the window 190 800 B.
    expect(window.limit()).toBeGreaterThan(0.85 * 132_500)
    expect(window.limit()).toBeLessThan(1.15 * 132_500)
  })

  it('is the best recent rate times the shortest way to an acknowledgement (plus the lines’ spacing), times its gain', () => {
    const { window } = measured()
    // 100 000 B/s × (200 ms + 50 ms): 25 000 B; the gain of 1.25 gives 31 250 B.
    expect(window.limit()).toBeCloseTo(25_000, -2)
    const { window: wider } = measured(1.25)
    expect(wider.limit()).toBeCloseTo(31_250, -2)
  })

  it('holds a frame back while the window is full and lets it go as central acknowledges frames', async () => {
    const { time, window } = measured()
    const a = window.flight()
    const b = window.flight()
    expect(admitted(a.admit(10_000)).now).toBe(true)
    expect(admitted(b.admit(10_000)).now).toBe(true)
    expect(admitted(a.admit(10_000)).now).toBe(true) // 20 000 on the way, under 25 000: it goes
    const held = admitted(b.admit(10_000)) // 30 000 on the way: full
    expect(held.now).toBe(false)
    await settle()
    expect(held.went()).toBe(false)
    time.advance(200)
    a.stored(1) // a's first 10 000 acknowledged: 20 000 on the way
    await settle()
    expect(held.went()).toBe(true)
  })

  it('a cut frees what its request had on the way, and a frame it held back goes uncounted', async () => {
    const { window } = measured()
    const a = window.flight()
    const b = window.flight()
    a.admit(20_000)
    a.admit(10_000) // 30 000 on the way
    const stuck = admitted(a.admit(10_000))
    const other = admitted(b.admit(10_000))
    expect(stuck.now || other.now).toBe(false)
    a.end() // the cut: a's 30 000 are no longer on the way, its waiting frame is let go
    await settle()
    expect(stuck.went()).toBe(true)
    expect(other.went()).toBe(true)
    // Only b's frame is on the way now: 10 000, so the next 10 000 goes at once.
    expect(admitted(b.admit(10_000)).now).toBe(true)
  })

  it('holds while frames take their shortest way as well: standing aside then let a pack onto the link whole, and a cut threw it away', () => {
    const time = clock()
    const window = createLinkWindow({ now: time.now })
    const flight = window.flight()
    // Each frame sent and acknowledged 20 ms later, lines 25 ms apart: no queue builds, 200 000 B/s.
    for (let i = 1; i <= 40; i++) {
      flight.admit(5_000)
      time.advance(20)
      flight.stored(i)
      time.advance(5)
    }
    // 200 000 B/s × (20 ms + 25 ms): 9 000 B.
    expect(window.limit()).toBeCloseTo(9_000, -2)
    expect(admitted(flight.admit(5_000)).now).toBe(true)
    expect(admitted(flight.admit(5_000)).now).toBe(true) // 5 000 on the way, under 9 000
    expect(admitted(flight.admit(5_000)).now).toBe(false)
  })

  it('keeps a quarter over the measured pipe where central acknowledges at once: a window of the rate it measured never finds a faster link', () => {
    const time = clock()
    const window = createLinkWindow({ now: time.now })
    const flight = window.flight()
    // A line each 10 ms acknowledging a frame, the shortest way 40 ms (no commit interval to speak of): 500 000 B/s.
    for (let i = 1; i <= 4; i++) flight.admit(5_000)
    for (let i = 1; i <= 60; i++) {
      time.advance(i === 1 ? 40 : 10)
      flight.stored(i)
      flight.admit(5_000)
    }
    // 500 000 B/s × max(40 ms + 10 ms, 1.25 × 40 ms) = 25 000 B; with lines 1 ms apart, still 1.25 × 40 ms.
    expect(window.limit()).toBeCloseTo(25_000, -3)
    const tight = createLinkWindow({ now: time.now })
    const f = tight.flight()
    // A frame a millisecond, each acknowledged 40 ms after it went, on a line of its own.
    for (let i = 1; i <= 40; i++) {
      f.admit(500)
      time.advance(1)
    }
    for (let i = 1; i <= 300; i++) {
      f.stored(i)
      f.admit(500)
      time.advance(1)
    }
    // 500 000 B/s × 1.25 × 40 ms = 25 000 B (not 20 500 B, the rate times the way and a 1 ms gap).
    expect(tight.limit()).toBeCloseTo(25_000, -3)
  })

  it('lets waiting frames go when central acknowledges nothing for four ways (it reads the body whole before answering), until it acknowledges again', async () => {
    const { time, window, timer } = measured()
    // A central that drains a refused pack before answering: a's frames fill the window and are never acknowledged.
    const a = window.flight()
    a.admit(30_000)
    const held = admitted(a.admit(10_000))
    expect(held.now).toBe(false)
    // Three ways (3 × 250 ms) without an acknowledgement: still a link, still waiting.
    time.advance(750)
    timer.due()
    await settle()
    expect(held.went()).toBe(false)
    time.advance(250)
    timer.due()
    await settle()
    expect(held.went()).toBe(true)
    // The window stays open while nothing is acknowledged: the rest of the body goes, so central can answer.
    expect(window.limit()).toBeNull()
    expect(admitted(a.admit(10_000)).now).toBe(true)
    a.end()
    // Another request's acknowledgement measures the link again: the window is back.
    const b = window.flight()
    b.admit(5_000)
    time.advance(400) // queued as the warm-up's frames were (its median way)
    b.stored(1)
    expect(window.limit()).not.toBeNull()
  })

  it('always lets a frame go when nothing is on the way (a photo bigger than the window still goes)', () => {
    const { window } = measured()
    expect(window.flight().admit(500_000)).toBeNull()
  })

  it('forgets what it measured after a quiet while: a link not heard of for seconds is not trusted to be the same', () => {
    const { time, window } = measured()
    expect(window.limit()).not.toBeNull()
    time.advance(11_000)
    expect(window.limit()).toBeNull()
  })
})
