import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { createConsoleLogger } from '../../main/services/platform/logger'
import { adminTokenPath } from './admin'
import { COMMANDS_USAGE, isCentralCommand, runCentralCommand } from './commands'
import { createDemoPosts } from './demo'
import { FaultSpecError } from './faults'
import { postsPath } from './posts'
import { startCentral } from './server'

/**
 * `npm run central -- --port 8787 --data <dir> [--demo] [--faults <spec>] [--allow-fault-header]`: the reference
 * central server for demos and chaos runs. Loopback only; runs until SIGINT or SIGTERM.
 * `npm run central -- enrol <postId>`, `import <file>` and `revoke <kioskKeyId>`: IT commands (commands.ts).
 */
const usage = `usage: npm run central -- [--port 8787] [--data .posko-dev/central] [--demo] [--faults <spec>] [--allow-fault-header] [--verbose]\n${COMMANDS_USAGE}`

const [command, ...commandArgs] = process.argv.slice(2)
if (isCentralCommand(command)) process.exit(await runCentralCommand(command, commandArgs))

let values: { port: string; data: string; demo: boolean; faults?: string; 'allow-fault-header': boolean; verbose: boolean; help: boolean }
try {
  values = parseArgs({
    options: {
      port: { type: 'string', default: '8787' },
      data: { type: 'string', default: '.posko-dev/central' },
      demo: { type: 'boolean', default: false },
      faults: { type: 'string' },
      'allow-fault-header': { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  }).values
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n${usage}\n`)
  process.exit(2)
}
if (values.help) {
  process.stdout.write(`${usage}\n`)
  process.exit(0)
}
const port = Number(values.port)
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`--port: expected 0–65535, got "${values.port}"\n`)
  process.exit(2)
}

const dataDir = resolve(values.data)
const demo = values.demo ? createDemoPosts(dataDir) : null
let central
try {
  central = await startCentral({
    dataDir,
    port,
    faults: values.faults,
    allowFaultHeader: values['allow-fault-header'],
    logger: createConsoleLogger(values.verbose ? 'debug' : 'info'),
  })
} catch (error) {
  const hint = error instanceof FaultSpecError ? ' (see the grammar at the top of test/central/faults.ts)' : ''
  process.stderr.write(`central: ${(error as Error).message}${hint}\n`)
  process.exit(2)
}

process.stdout.write(
  `Posko central (reference server: tests, chaos runs and demos only)\n` +
    `URL: ${central.url}\n` +
    `Data: ${dataDir}\n` +
    (demo ? `Posts: ${demo.file} (${demo.posts.length} posts; the demo kiosk is JT-3578-01)\n` : `Posts: ${postsPath(dataDir)}\n`) +
    (values.faults ? `Faults: ${values.faults}\n` : '') +
    `Fleet (IT): ${central.url}/fleet?token=${central.adminToken}\n` +
    `Admin token: ${central.adminToken} (${adminTokenPath(dataDir)}; Authorization: Bearer for GET /v1/posts)\n`,
)

const stop = () => {
  void central.close().then(() => process.exit(0))
}
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
