// `npm run dev:web`: build, start the demo central, then serve the kiosk's renderer and services on 127.0.0.1.
import { spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildAll } from './build.mjs'
import { startDemoCentral } from './demo-central.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
await buildAll({ quiet: true })
const central = await startDemoCentral()
const kiosk = spawn(process.execPath, [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(root, 'main', 'web', 'cli.ts'), ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, POSKO_CENTRAL_URL: central.url, POSKO_CENTRAL_TOKEN: central.token },
})
const stop = () => {
  kiosk.kill('SIGTERM')
  central.stop()
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
kiosk.on('exit', (code) => {
  central.stop()
  process.exit(code ?? 0)
})
