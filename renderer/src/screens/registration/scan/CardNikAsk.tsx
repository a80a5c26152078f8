import { useTranslation } from 'react-i18next'
import { groupNik } from '../../../../../common/ktp'
import { Notice } from '../../../components/Field'
import type { CardNikChoice, CardNikQuestion } from './cardFill'

/**
 * The typo catcher (issue 20.4): "NIK di KTP: 3578 0157 0895 0012 — yang diketik berbeda di digit 13. Mana yang
 * benar?" with one button per answer. Both are type="button": Enter in the NIK field submits the form, which the
 * flow refuses while this is unanswered, so only a deliberate choice lets the step move on.
 */
export function CardNikAsk(props: { question: CardNikQuestion; onAnswer: (choice: CardNikChoice) => void }) {
  const { t } = useTranslation()
  const { question } = props
  const card = groupNik(question.cardNik)
  const text =
    question.positions.length > 0
      ? t('warning.confirm.nik_differs_from_card', { card, digits: question.positions.join(', ') })
      : t('ktp.typo.length', { card })
  return (
    <Notice>
      {text}{' '}
      {question.answered ? (
        <span className="confirm-answered">{t('ktp.typo.answeredTyped')}</span>
      ) : (
        <span className="confirm-actions">
          <button type="button" className="confirm-card" onClick={() => props.onAnswer('card')}>
            {t('ktp.typo.chooseCard')}
          </button>
          <button type="button" className="confirm-typed" onClick={() => props.onAnswer('typed')}>
            {t('ktp.typo.chooseTyped')}
          </button>
        </span>
      )}
    </Notice>
  )
}
