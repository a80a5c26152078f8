// Starts the reference central server with its 56 demo posts for `npm start` and `npm run dev:web`, so a newcomer
// sees registrations upload. Returns its URL and the demo post's token; the server stops with this process.
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
export const DEMO_POST = 'JT-3578-01'

export function startDemoCentral({ port = 8787, dataDir = join(root, '.posko-dev', 'central') } = {}) {
  const child = spawn(process.execPath, [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(root, 'test', 'central', 'cli.ts'), '--demo', '--port', String(port), '--data', dataDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const stop = () => child.kill('SIGTERM')
  process.once('exit', stop)
  return new Promise((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => reject(new Error('demo central did not start within 20 s')), 20_000)
    child.on('exit', (code) => reject(new Error(`demo central exited (${code}); is port ${port} in use?`)))
    child.stdout.on('data', (chunk) => {
      out += chunk.toString()
      const url = /^URL: (\S+)/m.exec(out)?.[1]
      if (!url) return
      clearTimeout(timer)
      const posts = JSON.parse(readFileSync(join(dataDir, 'posts.json'), 'utf8'))
      const post = posts.find((p) => p.postId === DEMO_POST)
      if (!post) return reject(new Error(`demo post ${DEMO_POST} missing from ${dataDir}/posts.json`))
      process.stdout.write(out)
      resolve({ url: url.replace(/\/$/, ''), token: post.token, stop })
    })
  })
}
