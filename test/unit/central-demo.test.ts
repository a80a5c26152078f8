import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createDemoPosts, DEMO_POST_ID, eastJavaRegencies } from '../central/demo'
import { readPosts, writePosts } from '../central/posts'

const dirs: string[] = []
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'posko-central-demo-'))
  dirs.push(dir)
  return dir
}
afterEach(() => {
  while (dirs.length > 0) rmSync(dirs.pop()!, { recursive: true, force: true })
})

describe('central: demo posts', () => {
  it("spreads 56 posts over all 38 of East Java's regencies and cities, the big cities getting the extra ones", () => {
    const { posts, file } = createDemoPosts(tempDir())
    expect(posts).toHaveLength(56)
    const regencies = eastJavaRegencies()
    expect(regencies).toHaveLength(38)
    const perRegency = new Map<string, number>()
    for (const p of posts) perRegency.set(p.regencyCode, (perRegency.get(p.regencyCode) ?? 0) + 1)
    expect([...perRegency.keys()].sort()).toEqual(regencies.map((r) => r.code).sort())
    expect(Object.fromEntries([...perRegency].filter(([, n]) => n > 1))).toEqual({ '35.78': 9, '35.73': 5, '35.71': 3, '35.74': 2, '35.75': 2, '35.76': 2, '35.77': 2 })
    for (const p of posts) expect(p.postId).toMatch(new RegExp(`^JT-${p.regencyCode.replace('.', '')}-\\d{2}$`))
    expect(new Set(posts.map((p) => p.postId)).size).toBe(56)
    expect(new Set(posts.map((p) => p.token)).size).toBe(56)
    expect(posts.find((p) => p.postId === DEMO_POST_ID)).toMatchObject({ postId: 'JT-3578-01', name: 'Posko Kota Surabaya 01', regencyCode: '35.78' })
    expect(statSync(file).mode & 0o777).toBe(0o600)
  })

  it('a second run keeps existing tokens and posts that are not demo posts', () => {
    const dir = tempDir()
    const first = createDemoPosts(dir).posts
    const own = { postId: 'IT-LAB-01', name: 'IT lab', regencyCode: '35.78', token: 'it-lab-token-0000000001' }
    writePosts(dir, [...first, own])
    const second = createDemoPosts(dir).posts
    expect(second).toEqual([...first, own])
    expect(readPosts(dir)).toEqual(second)
  })
})

describe('central: CLI', () => {
  it('prints its URL and posts file, serves, and exits cleanly on SIGTERM', async () => {
    const dir = tempDir()
    const root = resolve(import.meta.dirname, '..', '..')
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/central/cli.ts', '--port', '0', '--data', dir, '--demo'], { cwd: root })
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)))
    try {
      const url = await new Promise<string>((done, fail) => {
        child.stdout.on('data', () => {
          const m = /^URL: (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out)
          if (m && out.includes('Posts: ')) done(m[1]!)
        })
        child.once('exit', (code) => fail(new Error(`cli exited with ${code}: ${out}`)))
      })
      expect(out).toContain(`Posts: ${join(dir, 'posts.json')} (56 posts; the demo kiosk is JT-3578-01)`)
      const health = await fetch(`${url}/v1/health`)
      expect(health.status).toBe(200)
      const token = (JSON.parse(readFileSync(join(dir, 'posts.json'), 'utf8')) as Array<{ postId: string; token: string }>).find((p) => p.postId === DEMO_POST_ID)!.token
      const unknown = await fetch(`${url}/v1/registrations/nope`, { headers: { authorization: `Bearer ${token}` } })
      expect(unknown.status).toBe(404)
    } finally {
      child.kill('SIGTERM')
    }
    expect(await exited).toBe(0)
  })
})
