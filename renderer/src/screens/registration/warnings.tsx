import { useTranslation } from 'react-i18next'
import { Notice } from '../../components/Field'

/** Warning codes from the service (`nik.sex_differs`) as sentences; a code this build does not know still warns. */
export function WarningNotices(props: { codes: readonly string[] }) {
  const { t, i18n } = useTranslation()
  if (props.codes.length === 0) return null
  return (
    <>
      {props.codes.map((code) => (
        <Notice key={code}>{i18n.exists(`warning.${code}`) ? t(`warning.${code}`) : t('warning.generic')}</Notice>
      ))}
    </>
  )
}

/** For a field's `notices`: nothing at all when there is nothing to say, so no empty live region is referenced. */
export function warningNotices(codes: readonly string[]) {
  return codes.length > 0 ? <WarningNotices codes={codes} /> : undefined
}
