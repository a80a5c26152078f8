import { useTranslation } from 'react-i18next'
import { CheckboxField } from '../../components/Field'
import { bindFields } from '../../components/fieldBinding'
import type { AddressPart } from './AddressFields'
import { AddressFields } from './AddressFields'
import type { StepProps } from './stepProps'
import { CardNote } from './scan/CardNote'

const REGION_PATHS = ['ktpAddress.provinceCode', 'ktpAddress.regencyCode', 'ktpAddress.districtCode', 'ktpAddress.villageCode']
const STREET_PATHS = ['ktpAddress.street', 'ktpAddress.rt', 'ktpAddress.rw']

/** `part`: the KTP address's regions alone, or its street with the domicile (the self-service kiosk's two pages). */
export function AddressStep({ form, errors, update, part }: StepProps & { part?: AddressPart }) {
  const { t } = useTranslation()
  const field = bindFields(form, errors, update)
  return (
    <>
      <CardNote
        form={form}
        paths={part === 'regions' ? REGION_PATHS : part === 'street' ? STREET_PATHS : [...REGION_PATHS, ...STREET_PATHS]}
      />
      <AddressFields
        path="ktpAddress"
        part={part}
        legend={t('registration.address.ktp')}
        value={form.ktpAddress}
        errors={errors}
        onChange={(ktpAddress) => update({ ktpAddress })}
      />
      {part !== 'regions' && (
        <>
          <CheckboxField {...field('domicileSame')} label={t('registration.address.domicileSame')} />
          {/* Unticking keeps what was typed in the second block, so ticking and unticking again loses nothing. */}
          {!form.domicileSame && (
            <AddressFields
              path="domicile"
              legend={t('registration.address.domicile')}
              value={form.domicile}
              errors={errors}
              onChange={(domicile) => update({ domicile })}
            />
          )}
        </>
      )}
    </>
  )
}
