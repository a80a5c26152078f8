import { writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../main/services/platform/config-file'
import { tempDir } from './helpers'

const shipped = resolve('resources/default-config.json')

describe('loadConfig', () => {
  it('uses the shipped demo config until IT writes one into the data dir', () => {
    const dir = tempDir()
    expect(loadConfig(dir, shipped)).toMatchObject({ file: shipped, config: { postId: 'JT-3578-01', mode: 'assisted' } })
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ postId: 'JT-3501-02', postName: 'Pacitan', centralUrl: 'https://central.example/' }))
    expect(loadConfig(dir, shipped).config).toMatchObject({
      postId: 'JT-3501-02',
      postName: 'Pacitan',
      centralUrl: 'https://central.example/',
      mode: 'assisted',
      language: 'id',
      retentionDays: 7,
      sessionTimeoutMinutes: 5,
      requirePhotos: true,
      camera: { source: 'renderer', device: '/dev/video0' },
      photoThresholds: { face: { minSharpness: 15 }, card: { minSharpness: 25 } },
    })
  })

  it('lists every problem of a bad file', () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ postId: 'x', centralUrl: 'ftp://a', mode: 'party', extra: 1 }))
    try {
      loadConfig(dir, shipped)
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError)
      const problems = (error as ConfigError).problems.join('\n')
      for (const key of ['postId', 'postName', 'centralUrl', 'mode']) expect(problems).toContain(key)
      expect(problems).toMatch(/extra/)
    }
  })

  it('reports unreadable JSON as a config error, not a crash', () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'config.json'), '{ not json')
    expect(() => loadConfig(dir, shipped)).toThrow(ConfigError)
  })
})
