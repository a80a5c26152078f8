import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { Address, RegistrationDraft } from '../../../../common/registration'
import type { PhotoKind } from '../../../../common/photos'
import type { PhotoRef } from '../../../../common/registration'
import { isOverridden } from '../../../../common/registration'
import { useCall } from '../../api'
import { useOverrideText } from '../../components/camera/PhotoResult'
import { formatDate } from '../../dates'
import { formatNik, formatPhone } from '../../format'
import { useRegionName } from '../../regions'

export type FactGroup = 'nik' | 'identity' | 'address' | 'contact' | 'employment' | 'photo'

/**
 * A registration read back grouped like the steps that collected it. The review passes `onEdit` (each group
 * gets a "Ubah" button back to its step); the search screen shows the same groups read-only.
 */
export function RegistrationFacts(props: { record: RegistrationDraft; onEdit?: (group: FactGroup) => void; headingLevel: 2 | 3 }) {
  const { t, i18n } = useTranslation()
  const { record } = props
  const none = t('registration.review.none')
  const group = (id: FactGroup, rows: readonly (readonly [string, ReactNode])[]) => (
    <FactsGroup key={id} id={id} rows={rows} onEdit={props.onEdit} headingLevel={props.headingLevel} />
  )
  return (
    <div className="facts-groups">
      {group('nik', [[t('field.nik'), <span className="nik">{formatNik(record.nik)}</span>]])}
      {group('identity', [
        [t('field.fullName'), record.fullName],
        [t('field.birthPlace'), record.birthPlace],
        [t('field.birthDate'), formatDate(record.birthDate, i18n.language)],
        [t('field.sex'), t(`sex.${record.sex}`)],
      ])}
      {group('address', [
        [t('registration.address.ktp'), <AddressText address={record.ktpAddress} />],
        [t('registration.address.domicile'), record.domicile ? <AddressText address={record.domicile} /> : t('registration.review.domicileSame')],
      ])}
      {group('contact', [
        [t('field.phone'), <span className="phone">{formatPhone(record.phone)}</span>],
        [t('field.email'), record.email ?? none],
      ])}
      {group('employment', [
        [t('field.employment'), t(`employment.${record.employment}`)],
        [t('field.education'), t(`education.${record.education}`)],
      ])}
      {group('photo', [
        [t('registration.photo.face'), <PhotoFact kind="face" value={record.photos.face} />],
        [t('registration.photo.card'), <PhotoFact kind="card" value={record.photos.card} />],
      ])}
      <Acknowledged record={record} headingLevel={props.headingLevel} />
    </div>
  )
}

/** The warnings staff (or the applicant) answered "Ya, benar" to, kept with the record (issue 19). */
function Acknowledged(props: { record: RegistrationDraft; headingLevel: 2 | 3 }) {
  const { t, i18n } = useTranslation()
  const list = props.record.acknowledgements
  if (list.length === 0) return null
  const Heading = props.headingLevel === 2 ? 'h2' : 'h3'
  const words = (code: string) => (i18n.exists(`warning.confirm.recorded.${code}`) ? t(`warning.confirm.recorded.${code}`) : code)
  return (
    <section className="facts-group" aria-labelledby="facts-acknowledgements">
      <div className="facts-group-head">
        <Heading id="facts-acknowledgements">{t('warning.confirm.listLabel')}</Heading>
      </div>
      <ul className="acknowledgements">
        {list.map((ack) => (
          <li key={ack.warning}>{ack.choice ? `${words(ack.warning)}: ${ack.choice}` : words(ack.warning)}</li>
        ))}
      </ul>
    </section>
  )
}

function FactsGroup(props: {
  id: FactGroup
  rows: readonly (readonly [string, ReactNode])[]
  onEdit: ((group: FactGroup) => void) | undefined
  headingLevel: 2 | 3
}) {
  const { t } = useTranslation()
  const title = t(`registration.steps.${props.id}`)
  const Heading = props.headingLevel === 2 ? 'h2' : 'h3'
  const onEdit = props.onEdit
  return (
    <section className="facts-group" aria-labelledby={`facts-${props.id}`}>
      <div className="facts-group-head">
        <Heading id={`facts-${props.id}`}>{title}</Heading>
        {onEdit && (
          // The visible word is "Ubah"; the accessible name says which group, as six "Ubah" buttons would not.
          <button type="button" aria-label={t('registration.review.editGroup', { group: title })} onClick={() => onEdit(props.id)}>
            {t('registration.review.edit')}
          </button>
        )}
      </div>
      <dl className="facts">
        {props.rows.map(([label, value]) => (
          <div key={label} className="facts-row">
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  )
}

function AddressText({ address }: { address: Address }) {
  const { t } = useTranslation()
  const village = useRegionName(address.villageCode)
  const district = useRegionName(address.districtCode)
  const regency = useRegionName(address.regencyCode)
  const province = useRegionName(address.provinceCode)
  return (
    <span className="address-text">
      <span>{`${address.street}, ${t('registration.review.rtRw', { rt: address.rt, rw: address.rw })}`}</span>
      <span>{`${village}, ${district}`}</span>
      <span>{`${regency}, ${province} ${address.postalCode}`}</span>
    </span>
  )
}

/**
 * A photo in the review and the record view (issue 19): its thumbnail, so staff see what will be sent, and whether
 * it passed the quality check or staff approved it below the check, with the reason chosen.
 */
function PhotoFact(props: { kind: PhotoKind; value: PhotoRef | null }) {
  const { t } = useTranslation()
  const overrideText = useOverrideText()
  if (props.value === null) return <>{t('registration.photo.missing')}</>
  const approved = isOverridden(props.value)
  return (
    <span className={`photo-fact${approved ? ' photo-fact-approved' : ''}`} data-photo={props.kind}>
      <PhotoThumb key={props.value.sha256} kind={props.kind} sha256={props.value.sha256} />
      <span className="photo-fact-text">
        {approved ? (
          <>
            <strong className="photo-approved-mark">{t('registration.photo.approved')}</strong>
            <span>{t('registration.photo.approvedReason', { reason: overrideText(props.value) })}</span>
          </>
        ) : (
          <span>{t('registration.photo.passed')}</span>
        )}
      </span>
    </span>
  )
}

function PhotoThumb(props: { kind: PhotoKind; sha256: string }) {
  const { t } = useTranslation()
  const [photo] = useCall((posko) => posko.photo.preview({ sha256: props.sha256 }))
  if (photo.status !== 'ready') return <span className="photo-thumb photo-thumb-none" aria-hidden="true" />
  return <img className="photo-thumb" src={photo.value.preview} alt={t(`registration.photo.thumb.${props.kind}`)} />
}
