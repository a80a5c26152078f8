import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { EnrolmentStatus } from '../../../../../common/operations'
import { TextField } from '../../../components/Field'
import { bindFields, fieldId } from '../../../components/fieldBinding'
import { JobCard } from '../../../components/job/JobCard'
import { reasonKey } from '../../../components/job/reasonKey'
import { useJob } from '../../../components/job/useJob'
import { focusField } from '../../../session/staffFields'
import type { EnrolErrors, EnrolForm as FormState } from './enrolRules'
import { ENROL_FIELDS, enrolFormErrors, FORM_REASONS, normalisePostId, placeRefusal } from './enrolRules'

/**
 * IT's form: central's address, the post code and the one-time code central issued for that post. The code is a
 * credential, so it is cleared after every answer, right or wrong; the other two stay for a retry.
 */
export function EnrolForm(props: { initial: Omit<FormState, 'code'>; onEnrolled: (status: EnrolmentStatus) => void }) {
  const { t } = useTranslation()
  const [form, setForm] = useState<FormState>({ ...props.initial, code: '' })
  const [errors, setErrors] = useState<EnrolErrors>({})
  const { job, run, reset } = useJob<EnrolmentStatus>()

  // An edit clears the error of the field it touches, so the message never describes what is no longer there.
  const field = bindFields(form, errors, (patch) => {
    setForm((current) => ({ ...current, ...patch }))
    setErrors((current) => ({ ...current, ...Object.fromEntries(Object.keys(patch).map((key) => [key, undefined])) }))
  })

  const showErrors = (next: EnrolErrors) => {
    setErrors(next)
    const first = ENROL_FIELDS.find((field) => next[field])
    if (first) focusField(fieldId(first))
    return first !== undefined
  }

  const onSubmit = async () => {
    reset()
    if (showErrors(enrolFormErrors(form))) return
    const result = await run((posko) =>
      posko.enrolment.enrol({ centralUrl: form.centralUrl.trim(), postId: normalisePostId(form.postId), code: form.code.trim() }),
    )
    if (result === null) return
    setForm((current) => ({ ...current, code: '' }))
    if (result.ok) return props.onEnrolled(result.value)
    const atField = placeRefusal(result.error)
    if (atField) showErrors({ [atField.field]: atField.key })
  }

  return (
    <JobCard
      titleId="enrol-title"
      texts="tools.enrolment.card"
      className="tool-card"
      job={job}
      onSubmit={() => void onSubmit()}
      fields={
        <>
          <TextField {...field('centralUrl')} label={t('tools.enrolment.centralUrl')} hint={t('tools.enrolment.centralUrlHint')} maxLength={200} />
          <div className="field-row">
            <TextField {...field('postId')} label={t('tools.enrolment.postId')} hint={t('tools.enrolment.postIdHint')} maxLength={20} className="input-code" />
            <TextField {...field('code')} label={t('tools.enrolment.code')} hint={t('tools.enrolment.codeHint')} maxLength={40} className="input-code" />
          </div>
        </>
      }
      refusal={(error) => (placeRefusal(error) ? null : reasonKey(error, FORM_REASONS))}
      refusalAboveSubmit
    />
  )
}
