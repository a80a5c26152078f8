import type { FormEvent } from 'react'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { EnrolmentStatus } from '../../../../../common/operations'
import type { PoskoErrorShape } from '../../../../../common/result'
import { callPosko } from '../../../api'
import { TextField } from '../../../components/Field'
import { focusField } from '../../../session/staffFields'
import { ReasonError } from '../shared'
import type { EnrolErrors, EnrolField, EnrolForm as FormState } from './enrolRules'
import { ENROL_FIELDS, enrolFormErrors, FIELD_IDS, FORM_REASONS, normalisePostId, placeRefusal } from './enrolRules'

/**
 * IT's form: central's address, the post code and the one-time code central issued for that post. The code is a
 * credential, so it is cleared after every answer, right or wrong; the other two stay for a retry.
 */
export function EnrolForm(props: { initial: Omit<FormState, 'code'>; onEnrolled: (status: EnrolmentStatus) => void }) {
  const { t } = useTranslation()
  const [form, setForm] = useState<FormState>({ ...props.initial, code: '' })
  const [errors, setErrors] = useState<EnrolErrors>({})
  const [refusal, setRefusal] = useState<PoskoErrorShape | null>(null)
  const [busy, setBusy] = useState(false)

  const edit = (field: EnrolField) => (value: string) => {
    setForm((current) => ({ ...current, [field]: value }))
    setErrors((current) => ({ ...current, [field]: undefined }))
  }

  const showErrors = (next: EnrolErrors) => {
    setErrors(next)
    const first = ENROL_FIELDS.find((field) => next[field])
    if (first) focusField(FIELD_IDS[first])
    return first !== undefined
  }

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    if (busy) return
    setRefusal(null)
    if (showErrors(enrolFormErrors(form))) return
    setBusy(true)
    const result = await callPosko((posko) =>
      posko.enrolment.enrol({ centralUrl: form.centralUrl.trim(), postId: normalisePostId(form.postId), code: form.code.trim() }),
    )
    setBusy(false)
    setForm((current) => ({ ...current, code: '' }))
    if (result.ok) return props.onEnrolled(result.value)
    const atField = placeRefusal(result.error)
    if (atField) showErrors({ [atField.field]: atField.key })
    else setRefusal(result.error)
  }

  return (
    <section className="card tool-card" aria-labelledby="enrol-title">
      <h2 id="enrol-title">{t('tools.enrolment.form')}</h2>
      <p>{t('tools.enrolment.formIntro')}</p>
      <form noValidate onSubmit={(event) => void onSubmit(event)}>
        <TextField
          id={FIELD_IDS.centralUrl}
          label={t('tools.enrolment.centralUrl')}
          hint={t('tools.enrolment.centralUrlHint')}
          maxLength={200}
          value={form.centralUrl}
          error={errors.centralUrl}
          onChange={edit('centralUrl')}
        />
        <div className="field-row">
          <TextField
            id={FIELD_IDS.postId}
            label={t('tools.enrolment.postId')}
            hint={t('tools.enrolment.postIdHint')}
            maxLength={20}
            className="input-code"
            value={form.postId}
            error={errors.postId}
            onChange={edit('postId')}
          />
          <TextField
            id={FIELD_IDS.code}
            label={t('tools.enrolment.code')}
            hint={t('tools.enrolment.codeHint')}
            maxLength={40}
            className="input-code"
            value={form.code}
            error={errors.code}
            onChange={edit('code')}
          />
        </div>
        {refusal && <ReasonError error={refusal} reasons={FORM_REASONS} />}
        <div className="actions actions-start">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? t('tools.enrolment.submitting') : t('tools.enrolment.submit')}
          </button>
        </div>
      </form>
    </section>
  )
}
