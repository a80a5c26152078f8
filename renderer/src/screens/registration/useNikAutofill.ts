import type { Dispatch, SetStateAction } from 'react'
import { useCallback, useRef, useState } from 'react'
import type { NikInfo } from '../../../../common/nik'
import { normaliseNik, parseNik } from '../../../../common/nik'
import type { Sex } from '../../../../common/registration'
import { getPosko } from '../../api'
import { loadRegionChildren } from '../../regions'
import type { RegistrationForm } from './form'

interface NikFacts {
  birthDate: string
  sex: Sex
  provinceCode: string
  regencyCode: string
  districtCode: string
}

/**
 * Typing a whole, valid NIK fills in what the NIK says: birth date, sex and the region it was issued in. Only a
 * NIK that changed does so, so going Back to the NIK step never overwrites what was corrected by hand.
 */
export function useNikAutofill(setForm: Dispatch<SetStateAction<RegistrationForm>>): { reading: boolean; onNik: (nik: string) => void } {
  const [reading, setReading] = useState(false)
  const lastRead = useRef<string | null>(null)
  const onNik = useCallback(
    (nik: string) => {
      setForm((form) => ({ ...form, nik }))
      const parsed = parseNik(nik)
      if (!parsed.ok || parsed.value.nik === lastRead.current) return
      const read = parsed.value.nik
      lastRead.current = read
      setReading(true)
      void readNik(parsed.value).then((facts) => {
        setReading(false)
        // The answer may arrive after the NIK was edited again: it only applies to the NIK it was read from.
        setForm((form) => (normaliseNik(form.nik) === read ? applyNikFacts(form, facts) : form))
      })
    },
    [setForm],
  )
  return { reading, onNik }
}

function applyNikFacts(form: RegistrationForm, facts: NikFacts): RegistrationForm {
  const { provinceCode, regencyCode, districtCode } = facts
  const villageCode = districtCode && form.ktpAddress.villageCode.startsWith(`${districtCode}.`) ? form.ktpAddress.villageCode : ''
  return {
    ...form,
    birthDate: facts.birthDate,
    sex: facts.sex,
    ktpAddress: { ...form.ktpAddress, provinceCode, regencyCode, districtCode, villageCode },
  }
}

/** The kiosk's reading (with region names checked against its data), or, if it can't answer, the NIK's own digits. */
async function readNik(info: NikInfo): Promise<NikFacts> {
  const posko = getPosko()
  const result = posko ? await posko.registration.validate({ draft: { nik: info.nik } }).catch(() => null) : null
  if (result?.ok && result.value.nik) {
    const insight = result.value.nik
    return {
      birthDate: insight.birthDate,
      sex: insight.sex,
      provinceCode: insight.province.code,
      regencyCode: insight.regency?.code ?? '',
      districtCode: insight.district?.code ?? '',
    }
  }
  // A region code the region list doesn't know would sit invisibly in a picker: keep only known ones.
  const known = async (parent: string, code: string) => {
    const children = await loadRegionChildren(parent)
    return children.ok && children.value.items.some((item) => item.code === code)
  }
  const regencyKnown = await known(info.provinceCode, info.regencyCode)
  const districtKnown = regencyKnown && (await known(info.regencyCode, info.districtCode))
  return {
    birthDate: info.birthDate,
    sex: info.sex,
    provinceCode: info.provinceCode,
    regencyCode: regencyKnown ? info.regencyCode : '',
    districtCode: districtKnown ? info.districtCode : '',
  }
}
