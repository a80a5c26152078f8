import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { launchSettings } from '../../main/launch-env'

const userData = join('/home', 'kiosk', '.config', 'Posko')
const developer = {
  POSKO_DATA_DIR: '/tmp/planted',
  POSKO_SQLITE_BINDING: '/tmp/evil.node',
  POSKO_CENTRAL_URL: 'http://attacker.example',
  POSKO_CENTRAL_TOKEN: 'x'.repeat(20),
}

describe('launchSettings', () => {
  it('a packaged kiosk ignores the development variables and names them for the log', () => {
    expect(launchSettings(developer, { packaged: true, userData })).toEqual({
      dataDir: join(userData, 'data'),
      nativeBinding: undefined,
      demoCentral: null,
      ignored: ['POSKO_DATA_DIR', 'POSKO_SQLITE_BINDING', 'POSKO_CENTRAL_URL', 'POSKO_CENTRAL_TOKEN'],
    })
    expect(launchSettings({}, { packaged: true, userData }).ignored).toEqual([])
  })

  it('unpackaged (npm start, the Electron spec) they point the app', () => {
    expect(launchSettings(developer, { packaged: false, userData })).toEqual({
      dataDir: '/tmp/planted',
      nativeBinding: '/tmp/evil.node',
      demoCentral: { url: 'http://attacker.example', token: developer.POSKO_CENTRAL_TOKEN },
      ignored: [],
    })
    expect(launchSettings({}, { packaged: false, userData }).dataDir).toBe(join(userData, 'data'))
  })
})
