import { describe, expect, it } from 'vitest'
import { postRegionOf } from '../../common/settings'
import { withPostRegion } from '../../renderer/src/screens/registration/postRegion'

/** Issue 19.4: the home address starts at the post's regency/city, which main reads from the post id. */
describe('the post region', () => {
  it('is read from a post id of central\'s numbering, and is null for any other id', () => {
    expect(postRegionOf('JT-3578-01')).toEqual({ provinceCode: '35', regencyCode: '35.78' })
    expect(postRegionOf('JT-3573-12')).toEqual({ provinceCode: '35', regencyCode: '35.73' })
    for (const id of ['JT-01', 'OLD-POST', 'JT-357-01', 'JT-35780-01']) expect(postRegionOf(id)).toBeNull()
  })

  const empty = { provinceCode: '', regencyCode: '', districtCode: '', villageCode: '', street: '', rt: '', rw: '', postalCode: '' }
  const post = { provinceCode: '35', regencyCode: '35.78' }

  it('fills an address with no regency, in no province or in the post\'s, and leaves any other as it is', () => {
    expect(withPostRegion(empty, post)).toMatchObject({ provinceCode: '35', regencyCode: '35.78', districtCode: '' })
    expect(withPostRegion({ ...empty, provinceCode: '35' }, post)).toMatchObject({ regencyCode: '35.78' })
    const elsewhere = { ...empty, provinceCode: '31' }
    expect(withPostRegion(elsewhere, post)).toBe(elsewhere)
    const chosen = { ...empty, provinceCode: '35', regencyCode: '35.73', districtCode: '35.73.01' }
    expect(withPostRegion(chosen, post)).toBe(chosen)
    expect(withPostRegion(empty, null)).toBe(empty)
  })
})
