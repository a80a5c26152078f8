import { execFile } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { makeValidRecords } from '../central/fixtures'
import { demoCentral, enrolledKiosk, MALANG_POST, SURABAYA_POST, testKiosk } from './bundle-kit'
import { tempDir } from './helpers'

const run = promisify(execFile)
const tsx = resolve('node_modules/.bin/tsx')
const central = (...args: string[]) => run(tsx, ['test/central/cli.ts', ...args], { cwd: resolve('.') })

describe('central CLI: enrol and import', () => {
  it('`enrol <postId>` prints a code a kiosk can redeem; `import <file>` applies a bundle once and refuses a tampered one', async () => {
    const env = await demoCentral()
    const { stdout } = await central('enrol', MALANG_POST, '--data', env.dataDir)
    const code = /\b([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})\b/.exec(stdout)?.[1]
    expect(stdout).toContain(`Enrolment code for ${MALANG_POST}`)
    expect(code).toBeDefined()
    const kiosk = testKiosk()
    expect((await kiosk.enrolment.enrol({ centralUrl: env.central.url, postId: MALANG_POST, code: code! })).enrolled).toBe(true)

    const origin = await enrolledKiosk(env.central, SURABAYA_POST)
    origin.queue(makeValidRecords(3, SURABAYA_POST))
    const { file } = await origin.bundles.exportBundle({ directory: tempDir() })
    const first = await central('import', file, '--data', env.dataDir)
    expect(JSON.parse(first.stdout.replace(/^Imported: /, ''))).toMatchObject({ postId: SURABAYA_POST, records: 3, accepted: 3 })
    const again = await central('import', file, '--data', env.dataDir)
    expect(again.stdout).toMatch(/^Already imported/)
    expect(env.central.db.prepare("SELECT count(*) AS n FROM bundles WHERE imported_by = 'cli'").get()).toEqual({ n: 1 })

    await expect(central('enrol', 'JT-0000-99', '--data', env.dataDir)).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('no post JT-0000-99') })
    await expect(central('import', resolve('package.json'), '--data', env.dataDir)).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('not_a_bundle') })
    const tampered = readFileSync(file)
    tampered[tampered.length - 1] = tampered[tampered.length - 1]! ^ 0x80
    writeFileSync(`${file}.tampered`, tampered)
    await expect(central('import', `${file}.tampered`, '--data', env.dataDir)).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('422 invalid_bundle: bad_signature') })
  })
})
