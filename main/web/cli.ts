import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { readFileSync } from 'node:fs'
import { loadConfig } from '../services/platform/config-file'
import { createKiosk } from '../services/kiosk'
import { createConsoleLogger } from '../services/platform/logger'
import { startWebServer } from './server'

const DEMO_OPERATOR = { id: 'demo', name: 'Petugas Demo', pin: '246810' }

// `npm run dev:web`: the real services behind a browser, for development and demos where Electron can't run.
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '5174' },
    data: { type: 'string', default: join('.posko-dev', 'data') },
  },
})
const root = resolve(import.meta.dirname, '..', '..')
const logger = createConsoleLogger()
const dataDir = resolve(values.data)
const loaded = loadConfig(dataDir, join(root, 'resources', 'default-config.json')).config
// The demo central (scripts/demo-central.mjs) hands its URL and the demo post's token over the environment.
const config = { ...loaded, centralUrl: process.env.POSKO_CENTRAL_URL ?? loaded.centralUrl }
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version
const kiosk = createKiosk({
  dataDir,
  config,
  version,
  logger,
  resourcesDir: join(root, 'resources'),
  centralToken: process.env.POSKO_CENTRAL_TOKEN,
  // dev:web builds first, so the worker the app uses is there.
  upload: { workerScript: join(root, 'dist', 'main', 'upload-worker.cjs') },
  ktp: { workerScript: join(root, 'dist', 'main', 'ktp-worker.cjs') },
  // A demo supervisor so the screens can be tried at once; a real post creates its own on first run.
  demoOperator: DEMO_OPERATOR,
})
await kiosk.ready
const web = await startWebServer({
  rendererDir: join(root, 'dist', 'renderer'),
  bridgeFile: join(root, 'dist', 'web', 'bridge.js'),
  kiosk,
  logger,
  port: Number(values.port),
})
process.stdout.write(
  `\nPosko browser mode (development/demo only — the kiosk itself runs in Electron)\n` +
    `Data: ${dataDir}\nCentral: ${config.centralUrl}\nDemo operator: ${DEMO_OPERATOR.id} / PIN ${DEMO_OPERATOR.pin} (supervisor)\nOpen: ${web.url}#token=${web.token}\n\n`,
)
const stop = () => {
  void web.close().then(() => {
    kiosk.close()
    process.exit(0)
  })
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
