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
