import { describe, expect, it } from 'vitest'
import { benchSections, handSections } from '../bench/sections'

const FILE = [
  '# Benchmarks',
  '',
  'Written by `npm run bench`.',
  '',
  '<!-- bench:photos -->',
  '## Photo pipeline',
  '',
  '| face | 18 ms | ≤ 40 ms | yes |',
  '',
  '<!-- soak (written by hand from `npm run soak`) -->',
  '## Soak',
  '',
  '| 1,000 kills | passed |',
  '',
  '<!-- bench:search -->',
  '## Search',
  '',
  '<!-- manual:input-count -->',
  '## Inputs per registration',
  '',
].join('\n')

describe('BENCHMARKS.md sections (npm run bench rewrites one and keeps the rest)', () => {
  it('ends a bench section at any comment line, so a hand-written part after it is kept, not swallowed', () => {
    const benches = benchSections(FILE)
    expect([...benches.keys()]).toEqual(['photos', 'search'])
    expect(benches.get('photos')).toBe('<!-- bench:photos -->\n## Photo pipeline\n\n| face | 18 ms | ≤ 40 ms | yes |')
    const hand = handSections(FILE)
    expect(hand).toHaveLength(2)
    expect(hand[0]).toContain('1,000 kills')
    expect(hand[1]).toMatch(/^<!-- manual:input-count -->\n## Inputs per registration$/)
  })

  it('takes nothing of the header before the first section for a section', () => {
    expect(handSections(FILE).join('\n')).not.toContain('# Benchmarks')
    expect([...benchSections(FILE).values()].join('\n')).not.toContain('Written by')
  })
})
