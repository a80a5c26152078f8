import { describe, expect, it } from 'vitest'
import type { PhotoCheck } from '../../common/photos'
import { en } from '../../common/i18n/en'
import { id } from '../../common/i18n/id'
import { failureReasons, reasonOf } from '../../renderer/src/components/camera/reasons'
import { cameraProblem } from '../../renderer/src/components/camera/useCamera'

const check = (partial: Partial<PhotoCheck> & Pick<PhotoCheck, 'id' | 'value'>): PhotoCheck => ({ ok: false, threshold: '', ...partial })

describe('photo verdict reasons', () => {
  it('tells no face from several faces, and too dark from too bright, by the bounds the check carries', () => {
    expect(reasonOf(check({ id: 'face_count', value: 0, min: 1, max: 1 }))).toBe('no_face')
    expect(reasonOf(check({ id: 'face_count', value: 2, min: 1, max: 1 }))).toBe('several_faces')
    expect(reasonOf(check({ id: 'brightness', value: 26.7, min: 45, max: 200 }))).toBe('too_dark')
    expect(reasonOf(check({ id: 'brightness', value: 226.3, min: 45, max: 200 }))).toBe('too_bright')
    expect(reasonOf(check({ id: 'decodable', value: 0, min: 1 }))).toBe('unreadable')
    expect(reasonOf(check({ id: 'resolution', value: 640, min: 1000 }))).toBe('resolution')
    expect(reasonOf(check({ id: 'face_size', value: 0.13, min: 0.3 }))).toBe('face_small')
    expect(reasonOf(check({ id: 'face_centered', value: 0.3, max: 0.2 }))).toBe('not_centred')
    expect(reasonOf(check({ id: 'blur', value: 4, min: 15 }))).toBe('blurred')
    expect(reasonOf(check({ id: 'content', value: 0.12, min: 0.3 }))).toBe('blank_frame')
  })

  it('lists only the failed checks, in order', () => {
    const checks = [
      check({ id: 'resolution', value: 480, min: 480, ok: true }),
      check({ id: 'brightness', value: 26.7, min: 45, max: 200 }),
      check({ id: 'blur', value: 12.8, min: 15 }),
    ]
    expect(failureReasons(checks)).toEqual(['too_dark', 'blurred'])
  })

  it('has words for every reason and every camera problem in both languages', () => {
    const reasons = ['unreadable', 'resolution', 'no_face', 'several_faces', 'face_small', 'not_centred', 'too_dark', 'too_bright', 'blurred', 'blank_frame'] as const
    for (const messages of [id, en]) {
      for (const reason of reasons) expect(messages.photo.reasons[reason], reason).toBeTruthy()
      for (const problem of ['not_found', 'denied', 'busy', 'unknown'] as const) expect(messages.photo.camera[problem], problem).toBeTruthy()
    }
  })
})

describe('camera problems', () => {
  it('maps getUserMedia failures onto what the person can do about them', () => {
    const named = (name: string) => new DOMException('', name)
    expect(cameraProblem(named('NotFoundError'))).toBe('not_found')
    expect(cameraProblem(named('OverconstrainedError'))).toBe('not_found')
    expect(cameraProblem(named('NotAllowedError'))).toBe('denied')
    expect(cameraProblem(named('SecurityError'))).toBe('denied')
    expect(cameraProblem(named('NotReadableError'))).toBe('busy')
    expect(cameraProblem(named('AbortError'))).toBe('busy')
    expect(cameraProblem(new TypeError('bad constraints'))).toBe('unknown')
    expect(cameraProblem('nonsense')).toBe('unknown')
  })
})
