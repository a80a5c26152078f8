import type { KtpFields } from '../../common/ktp'
import type { KtpTruth } from '../fixtures/ktp/generate'

/**
 * How a read compares with the card's truth, for both KTP benches (per frame and per scan): a field counts only when
 * offered and equal to the card; one offered with another value is counted apart, since that is the one that must
 * not happen.
 */
export class KtpTally {
  nik = 0
  nikWrong = 0
  name = 0
  nameWrong = 0
  birth = 0
  birthWrong = 0
  regions = 0
  regionsWrong = 0

  add(f: KtpFields, t: KtpTruth): void {
    if (f.nik === t.nik) this.nik++
    else if (f.nik !== undefined) this.nikWrong++
    if (f.fullName === t.name) this.name++
    else if (f.fullName !== undefined) this.nameWrong++
    if (f.birthDate === t.birthDate && f.sex === t.sex) this.birth++
    else if (f.birthDate !== undefined || f.sex !== undefined) this.birthWrong++
    if (f.districtCode === t.districtCode && f.villageCode === t.villageCode) this.regions++
    else if ((f.districtCode !== undefined && f.districtCode !== t.districtCode) || (f.villageCode !== undefined && f.villageCode !== t.villageCode)) this.regionsWrong++
  }
}
