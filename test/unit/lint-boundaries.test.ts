import { readdirSync } from 'node:fs'
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

const eslint = new ESLint({ cwd: process.cwd() })

async function restrictedImportErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath })
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message)
}

describe('import boundaries', () => {
  it.each([
    ['common/x.ts', "import { app } from 'electron'\nexport const a = app\n"],
    ['common/x.ts', "import { readFileSync } from 'node:fs'\nexport const a = readFileSync\n"],
    ['common/x.ts', "import { readFileSync } from 'fs'\nexport const a = readFileSync\n"],
    ['main/services/x.ts', "import { app } from 'electron'\nexport const a = app\n"],
    ['main/services/store/x.ts', "import log from 'electron-log/main'\nexport const a = log\n"],
    ['renderer/src/x.ts', "import { join } from 'node:path'\nexport const a = join\n"],
    ['renderer/src/x.tsx', "import { createKiosk } from '../../main/services/kiosk'\nexport const a = createKiosk\n"],
    ['renderer/src/x.ts', "import { ipcRenderer } from 'electron'\nexport const a = ipcRenderer\n"],
  ])('%s may not import what %j imports', async (file, code) => {
    expect(await restrictedImportErrors(file, code)).not.toEqual([])
  })

  it.each([
    ['main/window.ts', "import { app } from 'electron'\nexport const a = app\n"],
    ['main/services/x.ts', "import { join } from 'node:path'\nexport const a = join\n"],
    ['renderer/src/x.ts', "import { contract } from '../../common/contract'\nexport const a = contract\n"],
  ])('%s may import what %j imports', async (file, code) => {
    expect(await restrictedImportErrors(file, code)).toEqual([])
  })
})

const imports = (specifier: string) => `import * as m from '${specifier}'\nexport const a = m\n`

describe('the floor plan of main/services', () => {
  it.each([
    // platform imports nothing of services above it
    ['main/services/platform/clock.ts', '../store/db', 'floor above'],
    ['main/services/platform/clock.ts', '../upload/uploader', 'floor above'],
    ['main/services/platform/clock.ts', '../kiosk', 'floor above'],
    // a foundation stands on platform alone: no feature, no other foundation, not the root
    ['main/services/store/operators.ts', '../security/pin', 'another foundation'],
    ['main/services/security/keys.ts', '../store/settings', 'another foundation'],
    ['main/services/central/client.ts', '../store/outbox', 'another foundation'],
    ['main/services/store/outbox.ts', '../upload/uploader', 'floor above'],
    ['main/services/store/migrations/002_registrations.ts', '../../upload/status', 'floor above (two folders down)'],
    ['main/services/store/migrations/002_registrations.ts', '../../security/vault', 'another foundation (two folders down)'],
    ['main/services/security/vault.ts', '../dispatch', 'the root'],
    // features never import each other, nor the composition root
    ['main/services/bundle/export.ts', '../enrolment/service', 'another feature'],
    ['main/services/sessions/sessions.ts', '../upload/backoff', 'another feature'],
    ['main/services/registration/service.ts', '../photos', 'another feature (its index)'],
    ['main/services/fleet/heartbeat.ts', '../kiosk', 'the root'],
    ['main/services/ktp/read.ts', '../photos/service', 'another feature'],
    ['main/services/photos/service.ts', '../ktp/service', 'another feature'],
    // the post network is a feature: enrolment and the heartbeat reach it only through platform/post-roster's link
    ['main/services/network/trust.ts', '../enrolment/service', 'another feature'],
    ['main/services/enrolment/service.ts', '../network/trust', 'another feature'],
    ['main/services/fleet/heartbeat.ts', '../network/trust', 'another feature'],
    ['main/services/upload/uploader.ts', '../kiosk/upload', 'the composition root'],
  ])('%s may not import %s (%s)', async (file, specifier) => {
    expect(await restrictedImportErrors(file, imports(specifier))).not.toEqual([])
  })

  it.each([
    ['main/services/platform/logger.ts', './clock'],
    ['main/services/platform/identity.ts', '../../../common/config'],
    ['main/services/store/db.ts', '../platform/logger'],
    ['main/services/store/migrations/002_registrations.ts', '../migration'],
    ['main/services/store/migrations/002_registrations.ts', '../../platform/clock'],
    ['main/services/upload/uploader.ts', '../store/outbox'],
    ['main/services/upload/uploader.ts', '../central/client'],
    ['main/services/bundle/sealer.ts', '../security/public-keys'],
    ['main/services/bundle/export.ts', '../platform/identity'],
    ['main/services/kiosk.ts', './upload/uploader'],
    ['main/services/kiosk.ts', './platform/clock'],
    ['main/services/ktp/worker-entry.ts', '../regions/load'],
    ['main/services/kiosk.ts', './ktp/service'],
    ['main/services/network/trust.ts', '../security/tls-identity'],
    ['main/services/network/trust.ts', '../platform/post-roster'],
    ['main/services/kiosk.ts', './network/trust'],
    ['main/services/kiosk/post-network.ts', '../network/trust'],
    ['main/services/kiosk/post-network.ts', '../storage/stick-backup'],
  ])('%s may import %s', async (file, specifier) => {
    expect(await restrictedImportErrors(file, imports(specifier))).toEqual([])
  })

  it('every folder of main/services stands on a floor: none may import the composition root', async () => {
    const folders = readdirSync('main/services', { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name)
    expect(folders.length).toBeGreaterThan(10)
    for (const folder of folders) {
      expect(await restrictedImportErrors(`main/services/${folder}/x.ts`, imports('../kiosk')), folder).not.toEqual([])
    }
  })

  it.each([
    ['main/services/security/keys.ts', "import { renameSync } from 'node:fs'\nexport const a = renameSync\n"],
    ['main/services/bundle/export.ts', "import { rename } from 'node:fs/promises'\nexport const a = rename\n"],
    ['main/services/enrolment/config-file.ts', "import { writeFileSync } from 'fs'\nexport const a = writeFileSync\n"],
    ['main/services/diagnostics/service.ts', "import { writeFile } from 'node:fs/promises'\nexport const a = writeFile\n"],
  ])('%s may not write files but through the durable-file helper (%j)', async (file, code) => {
    expect(await restrictedImportErrors(file, code)).not.toEqual([])
  })

  it('the durable-file helper itself may rename and write', async () => {
    const code = "import { renameSync, writeFileSync } from 'node:fs'\nexport const a = [renameSync, writeFileSync]\n"
    expect(await restrictedImportErrors('main/services/platform/durable-file.ts', code)).toEqual([])
    // …and is still Electron-free
    expect(await restrictedImportErrors('main/services/platform/durable-file.ts', "import { app } from 'electron'\nexport const a = app\n")).not.toEqual([])
  })

  it('the app holds the narrow kiosk: only tests assemble its parts', async () => {
    const code = (name: string, from: string) => `import { ${name} } from '${from}'\nexport const a = ${name}\n`
    expect(await restrictedImportErrors('main/index.ts', code('assembleKiosk', './services/kiosk'))).not.toEqual([])
    expect(await restrictedImportErrors('main/web/cli.ts', code('assembleKiosk', '../services/kiosk'))).not.toEqual([])
    expect(await restrictedImportErrors('main/index.ts', code('createKiosk', './services/kiosk'))).toEqual([])
    expect(await restrictedImportErrors('test/fixtures/kiosk-kit.ts', code('assembleKiosk', '../../main/services/kiosk'))).toEqual([])
  })

  it('a floor rule keeps the Electron walls of main/services', async () => {
    expect(await restrictedImportErrors('main/services/store/migrations/001_settings.ts', "import { app } from 'electron'\nexport const a = app\n")).not.toEqual([])
    expect(await restrictedImportErrors('main/services/upload/uploader.ts', "import log from 'electron-log'\nexport const a = log\n")).not.toEqual([])
  })
})
