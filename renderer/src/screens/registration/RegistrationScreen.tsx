import type { RefObject } from 'react'
import { useTranslation } from 'react-i18next'
import { Stepper } from '../../components/Stepper'
import { EditDoneStep } from './EditDoneStep'
import { ASSISTED_PAGES } from './pages'
import { ReceiptStep } from './ReceiptStep'
import { StepBody } from './StepBody'
import type { StepId } from './steps'
import type { EditTarget } from './useRegistrationFlow'
import { useRegistrationFlow } from './useRegistrationFlow'
import type { DraftGuard, ResumedForm } from './desk/draftGuard'
import { DuplicateActionsContext } from './desk/duplicateActions'
import { useDeskAside } from './desk/useDeskAside'

export type { EditTarget } from './useRegistrationFlow'

/**
 * The assisted registration: the steps one after another with the stepper beside them, keyboard first. The flow
 * itself (the draft, the checks, the submit) is `useRegistrationFlow`, shared with the self-service kiosk.
 * With `edit`, the same steps fix a rejected record and every step returns to the review.
 */
export function RegistrationScreen(
  props:
    | { onRestart: () => void; edit?: undefined; resume?: ResumedForm; guard?: RefObject<DraftGuard | null> }
    | { edit: EditTarget; onRestart?: undefined; resume?: undefined; guard?: undefined },
) {
  const { t } = useTranslation()
  const { edit } = props
  const flow = useRegistrationFlow(ASSISTED_PAGES, edit, props.resume)
  const step = flow.page.step
  const { submit } = flow
  // The duplicate's record and receipt open beside the registration, which stays as it was (issue 19.1).
  const desk = useDeskAside(flow, props.onRestart ?? edit?.onDone ?? (() => undefined), props.guard)
  if (desk.aside) return desk.aside

  // The receipt ends the registration rather than being a step of it: ten titles would not fit one row.
  const stepperSteps = flow.pages.map((page) => page.step).filter((id) => id !== 'receipt')
  const titleKey = (id: StepId) => (id === 'receipt' && edit ? 'registration.edit.doneStep' : `registration.steps.${id}`)

  const screen = (
    <div className="registration">
      <h1>{edit ? t('registration.edit.title', { receiptNo: edit.receiptNo }) : t('registration.title')}</h1>
      {edit && step !== 'receipt' && edit.notice}
      <Stepper steps={stepperSteps} current={flow.index} label={t('registration.stepsLabel')} titleKey={(id) => titleKey(id as StepId)} />
      <section className="card step" aria-labelledby="step-title" onKeyDown={flow.onKeyDown}>
        <h2 id="step-title" ref={flow.headingRef} tabIndex={-1}>
          {t(titleKey(step))}
        </h2>
        {step === 'receipt' && edit && flow.saved ? (
          <EditDoneStep receiptNo={edit.receiptNo} onDone={edit.onDone} />
        ) : step === 'receipt' && flow.receipt && props.onRestart ? (
          <ReceiptStep receipt={flow.receipt} onRestart={props.onRestart} />
        ) : (
          <form ref={flow.formRef} noValidate onSubmit={flow.onSubmit}>
            {flow.pageHasErrors && <p className="form-summary">{t('registration.checkFields')}</p>}
            <StepBody flow={flow} step={step} />
            {/* Fixed to the bottom of the screen: "Lanjut" and "Kirim" never scroll away (issue 19). */}
            <div className="actions action-bar">
              {flow.index > 0 && (
                <button type="button" onClick={flow.back}>
                  {t('registration.back')}
                </button>
              )}
              <button type="submit" className="primary" disabled={submit.status === 'sending' || (step === 'review' && flow.duplicate.found !== null)}>
                {step === 'review'
                  ? submit.status === 'sending'
                    ? t('registration.review.submitting')
                    : edit
                      ? t('registration.edit.submit')
                      : t('registration.review.submit')
                  : flow.returnToReview
                    ? t('registration.backToReview')
                    : t('registration.next')}
              </button>
            </div>
          </form>
        )}
      </section>
    </div>
  )
  return <DuplicateActionsContext.Provider value={desk.actions}>{screen}</DuplicateActionsContext.Provider>
}
