import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { KtpFields, KtpReading } from '../../../../../common/ktp'
import { groupNik } from '../../../../../common/ktp'
import { callPosko } from '../../../api'
import { ErrorPanel } from '../../../components/ErrorPanel'
import { CameraView } from '../../../components/camera/CameraView'
import { useCamera } from '../../../components/camera/useCamera'
import { formatDate } from '../../../dates'
import { loadRegionChildren } from '../../../regions'
import type { StepProps } from '../stepProps'
import { withCard, withoutCard } from './cardFill'
import { useKtpScan } from './useKtpScan'

type PhotoOutcome = 'kept' | 'later' | null

/**
 * The KTP scan (issue 20.1), right after the consent: the live preview with the card's outline; the kiosk reads
 * the card from the frames and fills the NIK, identity and address steps with what it could read for certain. The
 * frame becomes the record's KTP photo when it passes the photo check, so nobody shoots the card twice. "Ketik
 * manual" is always one press away; the step owns no field and never holds the flow up.
 */
export function ScanStep(props: StepProps & { onNext: () => void }) {
  const { t } = useTranslation()
  const { update, onNext } = props
  const [scanning, setScanning] = useState(true)
  const [photo, setPhoto] = useState<PhotoOutcome>(null)
  const camera = useCamera(scanning)

  const onDone = useCallback(
    (reading: KtpReading, frame: string) => {
      setScanning(false)
      update((form) => withCard(form, reading.fields))
      void callPosko((posko) => posko.photo.process({ kind: 'card', jpegBase64: frame })).then((result) => {
        const sha256 = result.ok && result.value.verdict === 'pass' ? result.value.sha256 : null
        setPhoto(sha256 ? 'kept' : 'later')
        if (sha256) update((form) => ({ photos: { ...form.photos, card: { sha256 } } }))
      })
    },
    [update],
  )
  const scan = useKtpScan(camera, scanning, onDone)

  const manual = () => {
    setScanning(false)
    update((form) => withoutCard(form))
    onNext()
  }
  const again = () => {
    update((form) => withoutCard(form))
    setPhoto(null)
    setScanning(true)
    scan.again()
  }

  const { state } = scan
  const status =
    state.name === 'unavailable'
      ? t('ktp.scan.unavailable')
      : state.name === 'reading'
        ? t('ktp.scan.reading', { frames: state.reading.frames })
        : state.name === 'looking'
          ? t('ktp.scan.looking')
          : state.name === 'done'
            ? t('ktp.scan.done')
            : camera.status.name === 'starting'
              ? t('photo.camera.starting')
              : ''

  return (
    <div className={scanning ? 'scan-step' : 'scan-step scan-step-done'}>
      {scanning && state.name !== 'unavailable' && (
        <div className="scan-camera">
          <CameraView kind="card" camera={camera} countdown={null} />
        </div>
      )}
      <div className="scan-side">
        <p className="note">{t('ktp.scan.intro')}</p>
        <p className="scan-status" role="status" aria-live="polite">
          {status}
        </p>
        {state.name === 'failed' && <ErrorPanel error={state.error} onRetry={again} />}
        {state.name === 'done' && <ScanResult reading={state.reading} photo={photo} />}
        <div className="scan-actions">
          {state.name === 'done' ? (
            <button type="button" onClick={again}>
              {t('ktp.scan.again')}
            </button>
          ) : (
            <button type="button" className="scan-manual" onClick={manual}>
              {t('ktp.scan.manual')}
            </button>
          )}
        </div>
      </div>
    </div>
  )
}

const SHOWN: readonly (keyof KtpFields)[] = ['nik', 'fullName', 'birthPlace', 'birthDate', 'sex', 'street']
/** What the operator is told was not read, by the form's field names (the region names are one line). */
const LABEL: Partial<Record<keyof KtpFields, string>> = {
  nik: 'field.nik',
  fullName: 'field.fullName',
  birthPlace: 'field.birthPlace',
  birthDate: 'field.birthDate',
  sex: 'field.sex',
  street: 'field.street',
  districtCode: 'field.district',
  villageCode: 'field.village',
}

/** Every field as read from the card, for the operator to compare with the card in hand (issue 20.3). */
function ScanResult(props: { reading: KtpReading; photo: PhotoOutcome }) {
  const { t, i18n } = useTranslation()
  const { fields } = props.reading
  const regions = useRegionNames(fields)
  const value = (name: keyof KtpFields): string | null => {
    const v = fields[name]
    if (v === undefined) return null
    if (name === 'nik') return groupNik(v)
    if (name === 'birthDate') return formatDate(v, i18n.language)
    if (name === 'sex') return t(`sex.${v}`)
    if (name === 'street') return [v, fields.rt && fields.rw ? `RT ${fields.rt.padStart(3, '0')}/RW ${fields.rw.padStart(3, '0')}` : null].filter(Boolean).join(', ')
    return v
  }
  const missing = (Object.keys(LABEL) as (keyof KtpFields)[]).filter((name) => fields[name] === undefined).map((name) => t(LABEL[name]!))
  return (
    <>
      <dl className="scan-result" aria-label={t('ktp.scan.resultLabel')}>
        {SHOWN.filter((name) => fields[name] !== undefined).map((name) => (
          <div key={name}>
            <dt>{t(LABEL[name]!)}</dt>
            <dd className={name === 'nik' ? 'scan-nik' : undefined}>{value(name)}</dd>
          </div>
        ))}
        {regions && (
          <div>
            <dt>{t('ktp.scan.region')}</dt>
            <dd>{regions}</dd>
          </div>
        )}
      </dl>
      {missing.length > 0 && <p className="field-hint">{t('ktp.scan.notRead', { fields: missing.join(', ') })}</p>}
      {props.photo && <p className="field-hint">{t(props.photo === 'kept' ? 'ktp.scan.photoKept' : 'ktp.scan.photoLater')}</p>}
    </>
  )
}

/** "BULUH CINA, SIAK HULU": the village and district the read matched, by the kiosk's own region names. */
function useRegionNames(fields: KtpFields): string | null {
  const [names, setNames] = useState<string | null>(null)
  const { regencyCode, districtCode, villageCode } = fields
  useEffect(() => {
    if (!regencyCode || !districtCode) return
    let live = true
    void Promise.all([loadRegionChildren(regencyCode), villageCode ? loadRegionChildren(districtCode) : null]).then(([districts, villages]) => {
      if (!live) return
      const name = (result: typeof districts | null, code: string | undefined) => (result?.ok && code ? result.value.items.find((item) => item.code === code)?.name : undefined)
      setNames([name(villages, villageCode), name(districts, districtCode)].filter(Boolean).join(', ') || null)
    })
    return () => {
      live = false
    }
  }, [regencyCode, districtCode, villageCode])
  return names
}
