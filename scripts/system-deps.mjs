// Finds the system tools the tests need (Debian's Chromium, fswebcam) and, as root with apt, installs what is
// missing, as `playwright install --with-deps` would. Otherwise it stops with one line saying what to install.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

const tools = [
  { name: 'Chromium', pkg: 'chromium', found: () => [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].some((p) => p && existsSync(p)) },
  { name: 'fswebcam', pkg: 'fswebcam', found: () => spawnSync('sh', ['-c', 'command -v fswebcam'], { stdio: 'ignore' }).status === 0 },
]

export function ensureSystemDeps() {
  const missing = tools.filter((t) => !t.found())
  if (missing.length === 0) return
  const pkgs = missing.map((t) => t.pkg)
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0
  if (isRoot && hasApt) {
    console.log(`Installing ${pkgs.join(', ')} with apt-get…`)
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env })
    execFileSync('apt-get', ['install', '-y', '-qq', ...pkgs], { stdio: 'inherit', env })
    const still = tools.filter((t) => !t.found())
    if (still.length === 0) return
  }
  console.error(`Posko's tests need ${missing.map((t) => t.name).join(' and ')}: install with \`sudo apt-get install -y ${pkgs.join(' ')}\` (or set CHROMIUM_PATH).`)
  process.exit(1)
}
