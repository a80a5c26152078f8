import { describe, expect, it } from 'vitest'
import { formatDate, readDayMonthYear, toDayMonthYear } from '../../renderer/src/dates'
import { formatNik, formatPhone } from '../../renderer/src/format'

/** Issue 19, point 6: one way to read and type dates, NIKs and phone numbers, whatever the machine's locale. */
describe('dates as people read and type them', () => {
  it('reads day first in both languages, never the browser’s month/day', () => {
    expect(formatDate('1998-08-17', 'id')).toBe('17 Agustus 1998')
    expect(formatDate('1998-08-17', 'en')).toBe('17 August 1998')
    expect(formatDate('1995-06-12', 'en-US')).toBe('12 June 1995')
  })

  it('types as dd/mm/yyyy: slashes come by themselves, eight digits make the ISO date', () => {
    expect(readDayMonthYear('1')).toBe('1')
    expect(readDayMonthYear('120')).toBe('12/0')
    expect(readDayMonthYear('12/06/199')).toBe('12/06/199')
    expect(readDayMonthYear('12061995')).toBe('1995-06-12')
    expect(readDayMonthYear('12.06.1995')).toBe('1995-06-12')
    expect(readDayMonthYear('12/06/19955')).toBe('1995-06-12')
    expect(toDayMonthYear('1995-06-12')).toBe('12/06/1995')
    expect(toDayMonthYear('12/06')).toBe('12/06')
  })
})

describe('NIK and phone grouped for reading aloud', () => {
  it('groups a NIK in fours and a mobile number 4-4-rest in national form', () => {
    expect(formatNik('3578015708950012')).toBe('3578 0157 0895 0012')
    expect(formatNik('35780157')).toBe('35780157')
    expect(formatPhone('+6281330124455')).toBe('0813-3012-4455')
    expect(formatPhone('+628123456789')).toBe('0812-3456-789')
    expect(formatPhone('021-5551234')).toBe('021-5551234')
  })
})
