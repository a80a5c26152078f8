import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { RegistrationForm } from '../form'
import { fromCard } from './cardFill'

const LABELS: Readonly<Record<string, string>> = {
  nik: 'field.nik',
  fullName: 'field.fullName',
  birthPlace: 'field.birthPlace',
  birthDate: 'field.birthDate',
  sex: 'field.sex',
  'ktpAddress.provinceCode': 'field.province',
  'ktpAddress.regencyCode': 'field.regency',
  'ktpAddress.districtCode': 'field.district',
  'ktpAddress.villageCode': 'field.village',
  'ktpAddress.street': 'field.street',
  'ktpAddress.rt': 'field.rt',
  'ktpAddress.rw': 'field.rw',
}

/**
 * "Dibaca dari KTP: NIK, tanggal lahir": which of this step's fields still hold what the card said (issue 20.3),
 * so the operator checks those against the card in hand before confirming the step as usual.
 */
export function CardNote(props: { form: RegistrationForm; paths: readonly string[]; fallback?: ReactNode }) {
  const { t } = useTranslation()
  const read = fromCard(props.form)
  const shown = props.paths.filter((path) => read.has(path))
  if (shown.length === 0) return props.fallback ?? null
  // Every field here from the card: one short line rather than a list (the step must still fit one screen).
  if (shown.length === props.paths.length) return <p className="card-note">{t('ktp.scan.allFromCard')}</p>
  return <p className="card-note">{t('ktp.scan.fromCard', { fields: shown.map((path) => t(LABELS[path] ?? path)).join(', ') })}</p>
}
