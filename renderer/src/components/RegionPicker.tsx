import { useTranslation } from 'react-i18next'
import { useRegionChildren } from '../regions'
import type { FieldErrors } from './fieldErrors'
import type { FieldBinding } from './fieldBinding'
import { bindFields } from './fieldBinding'
import { SelectField } from './Field'

export interface RegionCodes {
  provinceCode: string
  regencyCode: string
  districtCode: string
  villageCode: string
}

const LEVELS = [
  { key: 'provinceCode', label: 'field.province' },
  { key: 'regencyCode', label: 'field.regency' },
  { key: 'districtCode', label: 'field.district' },
  { key: 'villageCode', label: 'field.village' },
] as const

/**
 * Province → regency → district → village, each list loaded from `regions.children` once its parent is chosen.
 * Changing a level clears the levels under it, so a village can never sit under the wrong district.
 */
export function RegionPicker(props: {
  /** Form path of the address ("ktpAddress"): field ids and error keys hang off it. */
  path: string
  value: RegionCodes
  onChange: (next: RegionCodes) => void
  errors: FieldErrors
  /** 3 on the NIK step (a NIK names no village), 4 for a full address. */
  depth: 3 | 4
}) {
  const levels = LEVELS.slice(0, props.depth)
  const pick = (patch: Partial<RegionCodes>) => {
    const next = { ...props.value, ...patch }
    const index = LEVELS.findIndex((level) => level.key in patch)
    LEVELS.forEach((level, i) => {
      if (i > index) next[level.key] = ''
    })
    props.onChange(next)
  }
  const field = bindFields(props.value, props.errors, pick, props.path)
  return (
    <div className="region-picker">
      {levels.map((level, index) => {
        const parentLevel = index === 0 ? null : LEVELS[index - 1]
        const parent = parentLevel ? props.value[parentLevel.key] : null
        return (
          <RegionSelect key={level.key} field={field(level.key)} label={level.label} parentLabel={parentLevel?.label ?? null} parent={parent} />
        )
      })}
    </div>
  )
}

function RegionSelect(props: { field: FieldBinding<string>; label: string; parentLabel: string | null; parent: string | null }) {
  const { t } = useTranslation()
  const waitingForParent = props.parent === ''
  const [children, retry] = useRegionChildren(props.parent, !waitingForParent)
  const options = children.status === 'ready' && !waitingForParent ? children.value.map((item) => ({ value: item.code, label: item.name })) : []
  const placeholder = waitingForParent
    ? t('field.chooseParentFirst', { parent: t(props.parentLabel ?? '').toLowerCase() })
    : children.status === 'loading'
      ? t('app.loading')
      : t('field.choose')
  return (
    <div className="region-select">
      <SelectField {...props.field} label={t(props.label)} options={options} placeholder={placeholder} disabled={waitingForParent} />
      {children.status === 'error' && !waitingForParent && (
        <p className="field-error" role="alert">
          {t('field.regionsFailed')}{' '}
          <button type="button" onClick={retry}>
            {t('errors.retry')}
          </button>
        </p>
      )}
    </div>
  )
}
