import { useTranslation } from 'react-i18next'

/**
 * Where the person is in a multi-step flow: a navigation landmark listing the steps, the current one marked with
 * aria-current="step", and a plain "Step 3 of 9" for everyone who does not read the list.
 */
export function Stepper(props: { steps: readonly string[]; current: number; label: string; titleKey: (step: string) => string }) {
  const { t } = useTranslation()
  return (
    <nav className="stepper" aria-label={props.label}>
      {/* Past the last step (the receipt) every step is done and there is no "Langkah n dari N" to say. */}
      {props.current < props.steps.length && (
        <p className="stepper-progress">{t('registration.progress', { current: props.current + 1, total: props.steps.length })}</p>
      )}
      <ol>
        {props.steps.map((step, index) => (
          <li
            key={step}
            className={index < props.current ? 'done' : index === props.current ? 'current' : undefined}
            aria-current={index === props.current ? 'step' : undefined}
          >
            <span className="stepper-number" aria-hidden="true">
              {index + 1}
            </span>
            <span className="stepper-title">{t(props.titleKey(step))}</span>
          </li>
        ))}
      </ol>
    </nav>
  )
}
