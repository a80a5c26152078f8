import { describe, expect, it } from 'vitest'
import { applyKey, BACKSPACE, SPACE } from '../../renderer/src/components/keyboard/keys'
import { keyboardKindFor, keysOf, LAYOUTS } from '../../renderer/src/components/keyboard/layouts'

/** The on-screen keyboard's rules without a DOM: what a key does to a field, and which keyboard a field gets. */
describe('on-screen keyboard keys', () => {
  const at = (value: string, start = value.length, end = start) => ({ value, start, end })

  it('types at the caret and moves it on', () => {
    expect(applyKey(at('3578', 2), '9', null)).toEqual({ value: '35978', start: 3, end: 3 })
    expect(applyKey(at('SITI'), SPACE, null)).toEqual({ value: 'SITI ', start: 5, end: 5 })
    expect(applyKey(at('siti'), '@gmail.com', null)).toEqual({ value: 'siti@gmail.com', start: 14, end: 14 })
  })

  it('deletes the character before the caret, or the selection', () => {
    expect(applyKey(at('3578'), BACKSPACE, null)).toEqual({ value: '357', start: 3, end: 3 })
    expect(applyKey(at('3578', 0), BACKSPACE, null)).toEqual(at('3578', 0))
    expect(applyKey(at('357801', 1, 4), BACKSPACE, null)).toEqual({ value: '301', start: 1, end: 1 })
  })

  it('replaces a selection with what is typed', () => {
    expect(applyKey(at('SITI', 0, 4), 'D', null)).toEqual({ value: 'D', start: 1, end: 1 })
  })

  it('types nothing past maxlength, and only what fits of a longer key', () => {
    expect(applyKey(at('60222'), '9', 5)).toEqual(at('60222'))
    expect(applyKey(at('60222', 0, 5), '1', 5)).toEqual({ value: '1', start: 1, end: 1 })
    expect(applyKey(at('sitirahayu'), '@gmail.com', 14)).toEqual({ value: 'sitirahayu@gma', start: 14, end: 14 })
  })

  it('leaves the field alone for keys that type nothing (Shift, Enter)', () => {
    expect(applyKey(at('SITI'), '{shift}', null)).toEqual(at('SITI'))
    expect(applyKey(at('SITI'), '{enter}', null)).toEqual(at('SITI'))
  })
})

describe('which keyboard a field gets', () => {
  it('follows what the field says about itself', () => {
    expect(keyboardKindFor({ inputMode: 'numeric' })).toBe('numeric')
    expect(keyboardKindFor({ type: 'password', inputMode: 'numeric' })).toBe('numeric')
    expect(keyboardKindFor({ type: 'tel', inputMode: 'tel' })).toBe('tel')
    expect(keyboardKindFor({ type: 'email' })).toBe('email')
    expect(keyboardKindFor({})).toBe('text')
    expect(keyboardKindFor({ type: 'search' })).toBe('text')
    // A date has its own picker.
    expect(keyboardKindFor({ type: 'date' })).toBeNull()
  })

  it('gives every layout both cases, Backspace and Enter; names start in capitals, email in small letters', () => {
    for (const layout of Object.values(LAYOUTS)) expect(layout.shift).toHaveLength(layout.default.length)
    for (const kind of ['numeric', 'tel', 'text', 'email'] as const) expect(keysOf(kind)).toEqual(expect.arrayContaining([BACKSPACE, '{enter}']))
    expect(keysOf('numeric').filter((key) => /^\d$/.test(key)).sort()).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'])
    expect(LAYOUTS.text.default.join(' ')).toContain('Q W E')
    expect(LAYOUTS.email.default.join(' ')).toContain('q w e')
    expect(keysOf('email')).toEqual(expect.arrayContaining(['@', '.', '@gmail.com', '@yahoo.com']))
  })
})
