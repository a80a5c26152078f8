import { describe, expect, it } from 'vitest'
import { isSecureCentralUrl } from '../../common/central-url'
import { KioskConfig } from '../../common/config'

describe('central over https only', () => {
  it.each(['https://central.example.go.id', 'https://10.0.0.5:8443/api', 'http://127.0.0.1:8787', 'http://127.1.2.3', 'http://localhost:8787', 'http://[::1]:8787'])(
    '%s is allowed',
    (url) => expect(isSecureCentralUrl(url)).toBe(true),
  )

  it.each(['http://central.example.go.id', 'http://10.0.0.5:8787', 'http://192.168.1.10', 'http://localhost.evil.example', 'http://127.0.0.1.evil.example', 'ftp://central.example', 'not a url'])(
    '%s is refused',
    (url) => expect(isSecureCentralUrl(url)).toBe(false),
  )

  it('a config naming central over plain http on the network does not load', () => {
    const config = { postId: 'JT-3578-01', postName: 'Surabaya', centralUrl: 'http://central.example.go.id' }
    const parsed = KioskConfig.safeParse(config)
    expect(parsed.success).toBe(false)
    expect(parsed.error?.issues[0]?.message).toMatch(/https only/)
    expect(KioskConfig.safeParse({ ...config, centralUrl: 'https://central.example.go.id' }).success).toBe(true)
  })
})
