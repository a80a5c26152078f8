import { existsSync } from 'node:fs'

/** Debian's Chromium: Playwright's own browser download is not reachable on these machines. */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser']
  const found = candidates.find((c): c is string => typeof c === 'string' && existsSync(c))
  if (!found) throw new Error('Chromium not found: install it with `apt-get install -y chromium` or set CHROMIUM_PATH')
  return found
}

/** DESIGN.md §4: headless, no network chatter, a fake camera that needs no permission prompt. */
export function chromiumArgs(extra: readonly string[] = []): string[] {
  return [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
    '--disable-sync',
    '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream',
    ...extra,
  ]
}
