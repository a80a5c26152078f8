import type { AppInfo } from '../../../../common/settings'
import type { AddressForm } from './form'

export type PostRegion = NonNullable<AppInfo['postRegion']>

/**
 * Issue 19.4: a home address with no regency yet starts at the post's own regency/city, so staff pick only the
 * kecamatan and kelurahan. The NIK's region (useNikAutofill) comes first: an address whose province is another
 * one than the post's, or whose regency is chosen already, is left as it is.
 */
export function withPostRegion(address: AddressForm, post: PostRegion | null): AddressForm {
  if (!post || address.regencyCode !== '') return address
  if (address.provinceCode !== '' && address.provinceCode !== post.provinceCode) return address
  return { ...address, provinceCode: post.provinceCode, regencyCode: post.regencyCode, districtCode: '', villageCode: '' }
}
