import { useTranslation } from 'react-i18next'
import { TextField } from '../../components/Field'
import { RegionPicker } from '../../components/RegionPicker'
import type { AddressForm, AddressKey } from './form'
import type { FieldErrors } from './steps'
import { fieldId } from './steps'

/** Where a touch kiosk asks for an address on two pages: the region cascade, then the street. */
export type AddressPart = 'regions' | 'street'

/** One address: the region cascade, then street, RT/RW and postal code. Used for the KTP and the domicile. */
export function AddressFields(props: {
  path: AddressKey
  legend: string
  value: AddressForm
  errors: FieldErrors
  onChange: (next: AddressForm) => void
  /** One half only; both when absent. */
  part?: AddressPart
}) {
  const { t } = useTranslation()
  const { path, value, errors } = props
  const set = (patch: Partial<AddressForm>) => props.onChange({ ...value, ...patch })
  return (
    <fieldset className="address">
      <legend>{props.legend}</legend>
      {props.part !== 'street' && <RegionPicker path={path} depth={4} value={value} errors={errors} onChange={(codes) => set(codes)} />}
      {props.part !== 'regions' && (
        <>
          <TextField
            id={fieldId(`${path}.street`)}
            label={t('field.street')}
            maxLength={200}
            value={value.street}
            error={errors[`${path}.street`]}
            onChange={(street) => set({ street })}
          />
          <div className="field-row field-row-short">
            <TextField
              id={fieldId(`${path}.rt`)}
              label={t('field.rt')}
              inputMode="numeric"
              maxLength={3}
              value={value.rt}
              error={errors[`${path}.rt`]}
              onChange={(rt) => set({ rt })}
            />
            <TextField
              id={fieldId(`${path}.rw`)}
              label={t('field.rw')}
              inputMode="numeric"
              maxLength={3}
              value={value.rw}
              error={errors[`${path}.rw`]}
              onChange={(rw) => set({ rw })}
            />
            <TextField
              id={fieldId(`${path}.postalCode`)}
              label={t('field.postalCode')}
              inputMode="numeric"
              maxLength={5}
              value={value.postalCode}
              error={errors[`${path}.postalCode`]}
              onChange={(postalCode) => set({ postalCode })}
            />
          </div>
        </>
      )}
    </fieldset>
  )
}
