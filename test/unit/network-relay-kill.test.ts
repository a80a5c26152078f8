import type { ChildProcess } from 'node:child_process'
import { spawn } from 'node:child_process'
import { join, resolve } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { SURABAYA } from '../central/testkit'
import { makeDraft, nikFor } from '../fixtures/drafts'
import { mulberry32 } from '../fixtures/prng'
import { bundleChild } from './crash/bundle'
import { TEST_PIN, testCentral } from './helpers'
import type { Desk } from './network-kit'
import { cutUplink, postDesks } from './network-kit'

/**
 * Issue 22.2 under kill -9: three desks, A's central a dead port, B and C online. A registers continuously; its
 * records are backed up to B and C and relayed by them to central. Each trial SIGKILLs A, B or C at a random moment
 * (mid-commit, mid-backup, mid-ask, mid-post, between central's answer and the `relayed` event), then the others.
 * At the end the three run until A shows every record accepted: every record A ever confirmed is at central exactly
 * once (0 lost, 0 twice), and so is every record in A's store. `npm run soak` runs 200 trials.
 */
const TRIALS = Number(process.env.POSKO_RELAY_KILL_TRIALS ?? 3)
const BACKLOG = 60

interface Life {
  proc: ChildProcess
  exited: Promise<void>
}

function open(db: string, sql: string, ...args: unknown[]): unknown {
  const conn = new Database(db, { readonly: true, fileMustExist: true })
  try {
    return conn.prepare(sql).pluck().get(...args)
  } finally {
    conn.close()
  }
}

describe('relay under kill -9', () => {
  it(`A, B or C SIGKILLed ${TRIALS} times during backup and relay: every record of A at central exactly once`, async () => {
    const seed = Number(process.env.POSKO_SEED ?? Date.now() % 100000)
    const rng = mulberry32(seed)
    const child = await bundleChild('test/unit/crash/relay-desk.ts')
    const { central, dataDir: centralDir } = await testCentral()
    const desks = (await postDesks(central, SURABAYA.postId, 3, { roundMs: 100, goneAfterMs: 3000 })) as [Desk, Desk, Desk]
    // A backlog from before its uplink was cut, so every trial's kill lands while records are being backed up and relayed.
    const backlog: string[] = []
    for (let n = 0; n < BACKLOG; n++) {
      const r = (await desks[0].kiosk.call('registration.submit', { draft: makeDraft({ nik: nikFor(900_000 + n) }) })) as { ok: boolean; value: { id: string } }
      expect(r.ok).toBe(true)
      backlog.push(r.value.id)
    }
    await cutUplink(desks[0])
    for (const desk of desks.slice(1)) {
      await desk.kiosk.call('queue.status')
      desk.close()
    }
    const confirmed = new Set<string>(backlog)
    const failures: string[] = []
    let next = 0

    const start = (i: number): Promise<Life> => {
      const desk = desks[i]!
      const args = [child, desk.dataDir, resolve('resources'), SURABAYA.postId, String(desk.net!.port), desk.net!.peers.join(','), i === 0 ? 'submit' : 'relay', String(next), TEST_PIN]
      if (i === 0) next += 1000
      const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })
      let err = ''
      let out = ''
      proc.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()))
      const exited = new Promise<void>((r) => proc.once('exit', () => r()))
      return new Promise<Life>((resolveLife, reject) => {
        proc.stdout!.on('data', (chunk: Buffer) => {
          out += chunk.toString()
          const lines = out.split('\n')
          out = lines.pop()!
          for (const line of lines) {
            if (line === 'ready') resolveLife({ proc, exited })
            else if (line.startsWith('rec ')) confirmed.add(line.slice(4))
          }
        })
        proc.once('exit', (code, signal) => {
          if (signal === 'SIGKILL') return
          failures.push(`desk ${i} exited (${code}): ${err}`)
          reject(new Error(failures.at(-1)))
        })
      })
    }
    const kill = async (life: Life) => {
      life.proc.kill('SIGKILL')
      await life.exited
    }

    const kills: string[] = []
    for (let trial = 0; trial < TRIALS; trial++) {
      const lives = await Promise.all([0, 1, 2].map(start))
      // One desk dies at a random moment while the other two go on a little; then they die too.
      await new Promise((r) => setTimeout(r, 300 + Math.floor(rng() * 2200)))
      const victim = Math.floor(rng() * 3)
      kills.push('ABC'[victim]!)
      await kill(lives[victim]!)
      await new Promise((r) => setTimeout(r, Math.floor(rng() * 600)))
      await Promise.all(lives.filter((_, i) => i !== victim).map(kill))
    }
    expect(confirmed.size, `seed ${seed}`).toBeGreaterThan(BACKLOG)

    const relayedDuringTrials = open(join(desks[0].dataDir, 'posko.db'), "SELECT count(*) FROM registrations WHERE state = 'accepted'") as number
    // The three run until A shows every record it holds accepted (A's own registering stopped: a relay-only life).
    const aDb = join(desks[0].dataDir, 'posko.db')
    const lives = await Promise.all([0, 1, 2].map((i) => (i === 0 ? startSettling() : start(i))))
    async function startSettling(): Promise<Life> {
      const desk = desks[0]
      const proc = spawn(process.execPath, [child, desk.dataDir, resolve('resources'), SURABAYA.postId, String(desk.net!.port), desk.net!.peers.join(','), 'relay', '0', TEST_PIN], { stdio: ['ignore', 'pipe', 'pipe'] })
      const exited = new Promise<void>((r) => proc.once('exit', () => r()))
      await new Promise<void>((r) => proc.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && r()))
      return { proc, exited }
    }
    const until = Date.now() + 120_000
    while ((open(aDb, "SELECT count(*) FROM registrations WHERE state != 'accepted'") as number) > 0) {
      if (Date.now() > until) throw new Error(`A still has unanswered records (seed ${seed})`)
      await new Promise((r) => setTimeout(r, 250))
    }
    await Promise.all(lives.map(kill))

    const aConn = new Database(aDb, { readonly: true })
    const inA = aConn.prepare('SELECT id FROM registrations').pluck().all() as string[]
    aConn.close()
    const centralDb = new Database(join(centralDir, 'central.sqlite'), { readonly: true })
    const count = centralDb.prepare('SELECT count(*) FROM registrations WHERE record_id = ?').pluck()
    const every = [...new Set([...confirmed, ...inA])]
    const lost = every.filter((id) => count.get(id) === 0)
    const twice = every.filter((id) => (count.get(id) as number) > 1)
    // Nothing at central from this post that A does not hold (B and C registered nothing).
    const atCentral = centralDb.prepare('SELECT count(*) FROM registrations WHERE post_id = ?').pluck().get(SURABAYA.postId) as number
    centralDb.close()
    expect({ lost, twice, confirmedInA: [...confirmed].every((id) => inA.includes(id)) }, `seed ${seed}`).toEqual({ lost: [], twice: [], confirmedInA: true })
    expect(atCentral).toBe(inA.length)
    expect(failures).toEqual([])
    console.log(`relay kill: ${TRIALS} trials (${kills.join('')} killed first), ${confirmed.size} confirmed, ${inA.length} at A, ${atCentral} at central, ${relayedDuringTrials} relayed during the trials (seed ${seed})`)
  }, 180_000 + TRIALS * 8000)
})
