import { AddressStep } from './AddressStep'
import { ConsentStep } from './ConsentStep'
import { ContactStep } from './ContactStep'
import { EmploymentStep } from './EmploymentStep'
import { IdentityStep } from './IdentityStep'
import { NikStep } from './NikStep'
import { PhotoStep } from './PhotoStep'
import { ReviewStep } from './ReviewStep'
import { ScanStep } from './scan/ScanStep'
import { DuplicateNotice } from './desk/DuplicateNotice'
import type { StepId } from './steps'
import type { RegistrationFlow } from './useRegistrationFlow'

/** The fields of one step as the staff desk shows them; the self-service kiosk reuses those it doesn't split. */
export function StepBody(props: { flow: RegistrationFlow; step: StepId }) {
  const { flow } = props
  const { stepProps, warnings, nik, form } = flow
  switch (props.step) {
    case 'consent':
      return <ConsentStep {...stepProps} />
    case 'scan':
      return <ScanStep {...stepProps} onNext={flow.next} />
    case 'nik':
      return <NikStep {...stepProps} warnings={warnings} reading={nik.reading} onNik={nik.onNik} duplicate={flow.duplicate} cardNik={flow.cardNik} />
    case 'identity':
      return <IdentityStep {...stepProps} warnings={warnings} />
    case 'address':
      return <AddressStep {...stepProps} />
    case 'contact':
      return <ContactStep {...stepProps} warnings={warnings} />
    case 'employment':
      return <EmploymentStep {...stepProps} />
    case 'photo':
      return <PhotoStep value={form.photos} onChange={(photos) => stepProps.update({ photos })} errors={flow.errors} check={flow.stepCheck} />
    case 'review':
      return (
        <>
          {flow.duplicate.found && <DuplicateNotice duplicate={flow.duplicate} />}
          {flow.reviewDraft && <ReviewStep draft={flow.reviewDraft} submit={flow.submit} onEdit={flow.editStep} />}
        </>
      )
    case 'receipt':
      return null
  }
}
