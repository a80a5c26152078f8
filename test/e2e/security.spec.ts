import { expect, test } from './harness'

/**
 * What the renderer can do in Chromium with the app's CSP (the same policy Electron serves): no inline script,
 * no eval, no Node, no remote origins. Electron-only decisions (navigation, window.open, permissions) are pure
 * functions tested in test/unit/window-policy.test.ts.
 */
test.describe('renderer hardening', () => {
  test('the CSP blocks inline and remote script, and allows no eval', async ({ app }) => {
    const { page } = app
    const violations: string[] = []
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text())
    })
    const outcome = await page.evaluate(async () => {
      const w = window as unknown as Record<string, unknown>
      const inline = document.createElement('script')
      inline.textContent = 'window.__inlineRan = true'
      document.body.appendChild(inline)
      // eval can't be probed from page.evaluate (DevTools evaluation is exempt from CSP): read the policy instead.
      const policy = document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? ''
      const evalBlocked = policy.includes("script-src 'self'") && !policy.includes('unsafe-eval') && !policy.includes('unsafe-inline')
      const remote = document.createElement('script')
      remote.src = 'https://example.invalid/x.js'
      const remoteResult = await new Promise<string>((resolve) => {
        remote.onload = () => resolve('loaded')
        remote.onerror = () => resolve('blocked')
        document.body.appendChild(remote)
      })
      return { inlineRan: w.__inlineRan === true, evalBlocked, remoteResult }
    })
    expect(outcome).toEqual({ inlineRan: false, evalBlocked: true, remoteResult: 'blocked' })
    expect(violations.length).toBeGreaterThan(0)
  })

  // Whether the page can reach Node (require, process, Buffer) is the Electron window's property: that check runs
  // in electron.spec.ts against the real window. Here, in any browser, the bridge itself must expose nothing more.
  test('window.posko holds only the contract methods: no raw invoke, nothing to call a channel by name', async ({ app }) => {
    const { page } = app
    const reach = await page.evaluate(() => {
      const posko = (window as unknown as { posko: Record<string, unknown> }).posko
      return { groups: Object.keys(posko).sort() }
    })
    expect(reach.groups).toContain('registration')
    expect(reach.groups).toContain('on')
    expect(reach.groups).not.toContain('invoke')
  })

})

test.describe('as an operator', () => {
  test.use({ signedInAs: 'operator' })

  test('a supervisor-only call from the page is refused by the services, not just hidden', async ({ app }) => {
    const { page } = app
    const result = await page.evaluate(() => (window as unknown as { posko: { operators: { list(): Promise<unknown> } } }).posko.operators.list())
    expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } })
  })
})
