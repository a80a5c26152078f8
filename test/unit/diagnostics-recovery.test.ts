import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { decideCrashRestart, decideRendererGone, readCrashHistory, writeCrashHistory } from '../../main/services/diagnostics'
import { tempDir } from './helpers'

const MIN = 60_000

describe('main-process crash → restart', () => {
  it('restarts after a crash, and after a second and third within ten minutes', () => {
    let history: number[] = []
    for (const t of [0, 1 * MIN, 2 * MIN]) {
      const decision = decideCrashRestart(history, t)
      expect(decision.restart).toBe(true)
      history = decision.history
    }
    expect(history).toEqual([0, MIN, 2 * MIN])
  })

  it('a fourth crash within ten minutes stays down (a crash loop shows its error instead of spinning)', () => {
    expect(decideCrashRestart([0, MIN, 2 * MIN], 3 * MIN).restart).toBe(false)
  })

  it('crashes older than the window are forgotten', () => {
    const decision = decideCrashRestart([0, MIN, 2 * MIN], 12 * MIN)
    expect(decision).toEqual({ restart: true, history: [12 * MIN] })
  })

  it('ignores timestamps from the future (a clock set back) rather than counting them', () => {
    expect(decideCrashRestart([10 * MIN, 11 * MIN, 12 * MIN], MIN).restart).toBe(true)
  })

  it('keeps the history in a file across the relaunch; a missing or broken file is an empty history', () => {
    const file = join(tempDir(), 'state', 'crashes.json')
    expect(readCrashHistory(file)).toEqual([])
    writeCrashHistory(file, [1, 2, 3])
    expect(readCrashHistory(file)).toEqual([1, 2, 3])
    writeFileSync(file, '{not json')
    expect(readCrashHistory(file)).toEqual([])
    writeFileSync(file, JSON.stringify([1, 'x', null, 4]))
    expect(readCrashHistory(file)).toEqual([1, 4])
  })
})

describe('renderer gone → reload to the start screen', () => {
  it.each(['crashed', 'oom', 'killed', 'abnormal-exit', 'launch-failed', 'integrity-failure'])('reloads at once after %s', (reason) => {
    expect(decideRendererGone(reason, [], 1000)).toEqual({ action: 'reload', delayMs: 0, recent: [1000] })
  })

  it('a clean exit is not a crash', () => {
    expect(decideRendererGone('clean-exit', [], 1000).action).toBe('ignore')
  })

  it('backs off after the fourth crash in five minutes, and recovers once they stop', () => {
    let recent: number[] = []
    const delays: number[] = []
    for (const t of [0, 10_000, 20_000, 30_000, 40_000]) {
      const decision = decideRendererGone('crashed', recent, t)
      if (decision.action !== 'reload') throw new Error('expected reload')
      delays.push(decision.delayMs)
      recent = decision.recent
    }
    expect(delays).toEqual([0, 0, 0, 30_000, 30_000])
    expect(decideRendererGone('crashed', recent, 40_000 + 5 * MIN)).toMatchObject({ delayMs: 0 })
  })
})
