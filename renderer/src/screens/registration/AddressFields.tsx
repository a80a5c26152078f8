import { useTranslation } from 'react-i18next'
import { TextField } from '../../components/Field'
import { bindFields } from '../../components/fieldBinding'
import { RegionPicker } from '../../components/RegionPicker'
import type { AddressForm, AddressKey } from './form'
import type { FieldErrors } from '../../components/fieldErrors'

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
  const field = bindFields(value, errors, set, path)
  return (
    <fieldset className="address">
      <legend>{props.legend}</legend>
      {props.part !== 'street' && <RegionPicker path={path} depth={4} value={value} errors={errors} onChange={(codes) => set(codes)} />}
      {props.part !== 'regions' && (
        // Street, RT, RW and postal code in one row on a landscape screen (issue 19: one screen per step).
        <div className="street-row">
          <TextField {...field('street')} label={t('field.street')} maxLength={200} />
          <TextField {...field('rt')} label={t('field.rt')} inputMode="numeric" maxLength={3} />
          <TextField {...field('rw')} label={t('field.rw')} inputMode="numeric" maxLength={3} />
          <TextField {...field('postalCode')} label={t('field.postalCode')} inputMode="numeric" maxLength={5} />
        </div>
      )}
    </fieldset>
  )
}
