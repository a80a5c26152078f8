import type { FormEvent, KeyboardEvent, ReactNode } from 'react'
import { useCallback, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { FieldIssue, Receipt } from '../../../../common/contract'
import { RegistrationDraft } from '../../../../common/registration'
import type { PoskoErrorShape } from '../../../../common/result'
import { callPosko } from '../../api'
import { Stepper } from '../../components/Stepper'
import { AddressStep } from './AddressStep'
import { ConsentStep } from './ConsentStep'
import { ContactStep } from './ContactStep'
import { EmploymentStep } from './EmploymentStep'
import type { RegistrationForm } from './form'
import { emptyForm, toDraftInput } from './form'
import { IdentityStep } from './IdentityStep'
import { NikStep } from './NikStep'
import { PhotoStep } from './PhotoStep'
import { EditDoneStep } from './EditDoneStep'
import { ReceiptStep } from './ReceiptStep'
import { rejectionFieldErrors } from './rejection'
import type { SubmitState } from './ReviewStep'
import { ReviewStep } from './ReviewStep'
import type { StepCheck, StepProps } from './stepProps'
import type { FieldErrors, StepId } from './steps'
import { STEPS, draftErrors, fieldId, firstErrorPath, firstStepWithErrors, replaceStepErrors, stepOf, toFieldErrors, validateStep } from './steps'
import { useDraftWarnings } from './useDraftWarnings'
import { useNikAutofill } from './useNikAutofill'

type FocusTarget = { kind: 'heading' } | { kind: 'field'; path: string } | null

/** A stored record opened to fix what central rejected: the same steps, sent with `registration.update`. */
export interface EditTarget {
  id: string
  receiptNo: string
  initial: RegistrationForm
  rejection: readonly FieldIssue[]
  /** Shown above the steps for the whole edit (central's reasons, a way back to the list). */
  notice: ReactNode
  onDone: () => void
}

interface Start {
  form: RegistrationForm
  step: StepId
  errors: FieldErrors
  focus: FocusTarget
}

/**
 * Where an edit opens: at the first field central (or today's rules) finds wrong, with its error shown, or at the
 * review when nothing can be pinned to a field.
 */
function startOf(edit: EditTarget | undefined, exists: (key: string) => boolean): Start {
  if (!edit) return { form: emptyForm(), step: 'consent', errors: {}, focus: { kind: 'heading' } }
  const errors = { ...rejectionFieldErrors(edit.rejection, exists), ...draftErrors(edit.initial) }
  const path = firstErrorPath(errors)
  return { form: edit.initial, step: firstStepWithErrors(errors) ?? 'review', errors, focus: path ? { kind: 'field', path } : { kind: 'heading' } }
}

/**
 * The assisted registration: one form state for all steps (Back loses nothing), checked step by step with the
 * same schema the kiosk uses, submitted once from the review. The draft lives only in this component's memory.
 * With `edit`, the same flow fixes a rejected record and every step returns to the review.
 */
export function RegistrationScreen(props: { onRestart: () => void; edit?: undefined } | { edit: EditTarget; onRestart?: undefined }) {
  const { t, i18n } = useTranslation()
  const { edit } = props
  const [start] = useState(() => startOf(edit, (key) => i18n.exists(key)))
  const [form, setForm] = useState<RegistrationForm>(start.form)
  const [step, setStep] = useState<StepId>(start.step)
  const [errors, setErrors] = useState<FieldErrors>(start.errors)
  const [returnToReview, setReturnToReview] = useState(edit !== undefined)
  const [submit, setSubmit] = useState<SubmitState>({ status: 'idle' })
  const [receipt, setReceipt] = useState<Receipt | null>(null)
  const [saved, setSaved] = useState(false)
  const [focus, setFocus] = useState<FocusTarget>(start.focus)
  const headingRef = useRef<HTMLHeadingElement>(null)
  const stepCheck = useRef<StepCheck | null>(null)
  const warnings = useDraftWarnings(form, step !== 'receipt')
  const nik = useNikAutofill(setForm)

  // After the step (or its errors) rendered: the new step's heading, or the first field that needs fixing.
  useEffect(() => {
    if (!focus) return
    if (focus.kind === 'heading') headingRef.current?.focus()
    else document.getElementById(fieldId(focus.path))?.focus()
    setFocus(null)
  }, [focus])

  const update = useCallback((patch: Partial<RegistrationForm>) => setForm((current) => ({ ...current, ...patch })), [])

  // A field being corrected stops showing its error (the next check says whether it is right now); the others
  // keep theirs. Errors of a domicile block that was just hidden go too: nobody can see or fix them.
  const previousForm = useRef(form)
  useEffect(() => {
    const before = previousForm.current
    previousForm.current = form
    setErrors((current) => {
      const kept = Object.entries(current).filter(
        ([path]) => valueAt(before, path) === valueAt(form, path) && !(form.domicileSame && path.startsWith('domicile.')),
      )
      return kept.length === Object.keys(current).length ? current : Object.fromEntries(kept)
    })
  }, [form])

  const goTo = (next: StepId) => {
    setStep(next)
    setFocus({ kind: 'heading' })
    // A refusal belongs to the attempt it answered; after a detour the next "Kirim" is a new attempt.
    setSubmit({ status: 'idle' })
  }

  const showErrors = (all: FieldErrors) => {
    setErrors(all)
    const target = firstStepWithErrors(all)
    const path = firstErrorPath(all)
    if (target) setStep(target)
    if (path) setFocus({ kind: 'field', path })
  }

  const index = STEPS.indexOf(step)

  const forward = () => {
    const fresh = { ...validateStep(step, form), ...stepCheck.current?.() }
    const rest = replaceStepErrors(errors, step, fresh)
    setErrors(rest)
    const first = firstErrorPath(fresh)
    if (first) return setFocus({ kind: 'field', path: first })
    const next = returnToReview ? 'review' : STEPS[index + 1]
    if (next === 'review') {
      // Every step was checked on the way, but an "Ubah" detour may have left another step inconsistent.
      const all = draftErrors(form)
      if (Object.keys(all).length > 0) return showErrors(all)
      setReturnToReview(false)
    }
    if (next) goTo(next)
  }

  const send = async () => {
    const parsed = RegistrationDraft.safeParse(toDraftInput(form))
    if (!parsed.success) return showErrors(draftErrors(form))
    setSubmit({ status: 'sending' })
    if (edit) {
      const result = await callPosko((posko) => posko.registration.update({ id: edit.id, draft: parsed.data }))
      if (!result.ok) return refused(result.error)
      setSaved(true)
    } else {
      const result = await callPosko((posko) => posko.registration.submit({ draft: parsed.data }))
      if (!result.ok) return refused(result.error)
      setReceipt(result.value)
    }
    // What comes next needs none of it: the applicant's data leaves memory as soon as the kiosk has it.
    setForm(emptyForm())
    goTo('receipt')
  }

  const refused = (error: PoskoErrorShape) => {
    if (error.code === 'duplicate_nik') {
      return setSubmit({ status: 'duplicate', receiptNo: String(error.details?.receiptNo ?? '') })
    }
    if (error.code === 'invalid_input' && error.issues && error.issues.length > 0) {
      setSubmit({ status: 'idle' })
      return showErrors(toFieldErrors(error.issues))
    }
    setSubmit({ status: 'failed', error })
  }

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    if (submit.status === 'sending') return
    if (step === 'review') void send()
    else forward()
  }

  // Enter moves on from anywhere in the step: browsers submit on Enter only from text fields, not from a tick
  // box, a radio, or the step heading that holds focus when a step opens.
  const formRef = useRef<HTMLFormElement>(null)
  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    const target = event.target
    const fromChoice = target instanceof HTMLInputElement && (target.type === 'checkbox' || target.type === 'radio')
    // Sending is the one step that must be a deliberate press of "Kirim", never a stray Enter.
    const fromHeading = target === headingRef.current && step !== 'review'
    if (event.key === 'Enter' && (fromChoice || fromHeading)) {
      event.preventDefault()
      formRef.current?.requestSubmit()
    }
  }

  const stepProps: StepProps = { form, errors, update }
  const titleKey = (id: StepId) => (id === 'receipt' && edit ? 'registration.edit.doneStep' : `registration.steps.${id}`)
  const title = t(titleKey(step))
  const reviewDraft = step === 'review' ? RegistrationDraft.safeParse(toDraftInput(form)) : null

  return (
    <div className="registration">
      <h1>{edit ? t('registration.edit.title', { receiptNo: edit.receiptNo }) : t('registration.title')}</h1>
      {edit && step !== 'receipt' && edit.notice}
      <Stepper steps={STEPS} current={index} label={t('registration.stepsLabel')} titleKey={(id) => titleKey(id as StepId)} />
      <section className="card step" aria-labelledby="step-title" onKeyDown={onKeyDown}>
        <h2 id="step-title" ref={headingRef} tabIndex={-1}>
          {title}
        </h2>
        {step === 'receipt' && edit && saved ? (
          <EditDoneStep receiptNo={edit.receiptNo} onDone={edit.onDone} />
        ) : step === 'receipt' && receipt && props.onRestart ? (
          <ReceiptStep receipt={receipt} onRestart={props.onRestart} />
        ) : (
          <form ref={formRef} noValidate onSubmit={onSubmit}>
            {Object.keys(errors).some((path) => stepOf(path.split('.')) === step) && (
              <p className="form-summary">{t('registration.checkFields')}</p>
            )}
            {step === 'consent' && <ConsentStep {...stepProps} />}
            {step === 'nik' && <NikStep {...stepProps} warnings={warnings} reading={nik.reading} onNik={nik.onNik} />}
            {step === 'identity' && <IdentityStep {...stepProps} warnings={warnings} />}
            {step === 'address' && <AddressStep {...stepProps} />}
            {step === 'contact' && <ContactStep {...stepProps} warnings={warnings} />}
            {step === 'employment' && <EmploymentStep {...stepProps} />}
            {step === 'photo' && <PhotoStep value={form.photos} onChange={(photos) => update({ photos })} errors={errors} check={stepCheck} />}
            {step === 'review' && reviewDraft?.success && (
              <ReviewStep
                draft={reviewDraft.data}
                submit={submit}
                onEdit={(group) => {
                  setReturnToReview(true)
                  goTo(group)
                }}
              />
            )}
            <div className="actions">
              {index > 0 && (
                <button type="button" onClick={() => goTo(STEPS[index - 1] ?? 'consent')}>
                  {t('registration.back')}
                </button>
              )}
              <button type="submit" className="primary" disabled={submit.status === 'sending'}>
                {step === 'review'
                  ? submit.status === 'sending'
                    ? t('registration.review.submitting')
                    : edit
                      ? t('registration.edit.submit')
                      : t('registration.review.submit')
                  : returnToReview
                    ? t('registration.backToReview')
                    : t('registration.next')}
              </button>
            </div>
          </form>
        )}
      </section>
    </div>
  )
}

/** The value at a dotted form path ("ktpAddress.rt"), compared by identity to see whether it was edited. */
function valueAt(form: RegistrationForm, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), form)
}
