import type { RefObject } from 'react'
import { useEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import type { ResumedForm } from '../registration/desk/draftGuard'
import { draftStepOf } from '../registration/desk/draftGuard'
import { DuplicateActionsContext } from '../registration/desk/duplicateActions'
import { AddressStep } from '../registration/AddressStep'
import { ConsentStep } from '../registration/ConsentStep'
import { ReviewStep } from '../registration/ReviewStep'
import { StepBody } from '../registration/StepBody'
import type { RegistrationFlow } from '../registration/useRegistrationFlow'
import { useRegistrationFlow } from '../registration/useRegistrationFlow'
import { ChoicePage } from './ChoicePage'
import { questionCount, SELF_SERVICE_PAGES } from './pages'
import { Progress } from './Progress'
import { SelfServiceReceipt } from './SelfServiceReceipt'

/**
 * An applicant's own registration: the desk's flow (draft, checks, submit) on the kiosk's pages, in large print.
 * The draft lives in this component only; the shell unmounts it to forget the person (idle, "Selesai").
 */
export function SelfServiceFlow(props: { onDone: () => void; draftRef?: RefObject<(() => ResumedForm | null) | null> }) {
  const { t } = useTranslation()
  const flow = useRegistrationFlow(SELF_SERVICE_PAGES, undefined, undefined, 'text')
  const { page, submit } = flow
  // Staff opening their sign-in with the hidden gesture take the applicant's draft along (issue 19.2): the shell asks.
  const current = useRef(flow)
  current.current = flow
  const { draftRef } = props
  useEffect(() => {
    if (!draftRef) return
    draftRef.current = () => {
      const { started, form, page: at } = current.current
      const step = draftStepOf(at.step)
      return started && step ? { form, step } : null
    }
    return () => {
      draftRef.current = null
    }
  }, [draftRef])

  if (page.id === 'receipt' && flow.receipt) {
    return <SelfServiceReceipt receipt={flow.receipt} headingRef={flow.headingRef} onDone={props.onDone} />
  }

  const welcome = page.id === 'welcome'
  const nextLabel = welcome
    ? t('selfService.start')
    : page.id === 'review'
      ? submit.status === 'sending'
        ? t('registration.review.submitting')
        : t('registration.review.submit')
      : flow.returnToReview
        ? t('registration.backToReview')
        : t('registration.next')

  const screen = (
    <div className={welcome ? 'ss-page ss-welcome' : 'ss-page'} onKeyDown={flow.onKeyDown}>
      {welcome ? (
        <>
          <h1 ref={flow.headingRef} tabIndex={-1}>
            {t('selfService.welcome.title')}
          </h1>
          <p className="ss-lead">{t('selfService.welcome.lead')}</p>
        </>
      ) : (
        <>
          <h1 className="ss-caption">{t('selfService.title')}</h1>
          <Progress current={flow.index} total={questionCount(flow.pages)} />
          <h2 ref={flow.headingRef} tabIndex={-1} className="ss-question">
            {t(`selfService.pages.${page.id}.title`)}
          </h2>
          <p className="ss-hint">{t(`selfService.pages.${page.id}.hint`)}</p>
        </>
      )}
      <form ref={flow.formRef} noValidate onSubmit={flow.onSubmit}>
        {flow.pageHasErrors && <p className="form-summary">{t('registration.checkFields')}</p>}
        <PageBody flow={flow} />
        <div className="actions ss-actions action-bar">
          {flow.index > 0 && (
            <button type="button" onClick={flow.back}>
              {t('registration.back')}
            </button>
          )}
          <button type="submit" className="primary" disabled={submit.status === 'sending' || (page.id === 'review' && flow.duplicate.found !== null)}>
            {nextLabel}
          </button>
        </div>
      </form>
    </div>
  )
  return <DuplicateActionsContext.Provider value={{ restart: props.onDone }}>{screen}</DuplicateActionsContext.Provider>
}

/** The fields of the page: the desk's step components, or the kiosk's halves of a step. */
function PageBody({ flow }: { flow: RegistrationFlow }) {
  const { t } = useTranslation()
  const { stepProps } = flow
  switch (flow.page.id) {
    case 'welcome':
      return <ConsentStep {...stepProps} intro={t('selfService.welcome.consentIntro')} />
    case 'region':
      return <AddressStep {...stepProps} part="regions" />
    case 'street':
      return <AddressStep {...stepProps} part="street" />
    case 'employment':
      return <ChoicePage {...stepProps} field="employment" />
    case 'education':
      return <ChoicePage {...stepProps} field="education" />
    case 'review':
      return flow.reviewDraft && <ReviewStep draft={flow.reviewDraft} submit={flow.submit} onEdit={flow.editStep} intro={t('selfService.review.intro')} />
    default:
      return <StepBody flow={flow} step={flow.page.step} />
  }
}
