import type { FormEvent, KeyboardEvent, ReactNode, RefObject } from 'react'
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { WarningCode, WarningToConfirm } from '../../../../common/acknowledgements'
import { unanswered } from '../../../../common/acknowledgements'
import type { FieldIssue, Receipt } from '../../../../common/records'
import type { RegistrationDraft as Draft } from '../../../../common/registration'
import { RegistrationDraft } from '../../../../common/registration'
import type { PoskoErrorShape } from '../../../../common/result'
import { callPosko, useCall } from '../../api'
import { fieldId } from '../../components/fieldBinding'
import type { FieldErrors } from '../../components/fieldErrors'
import { toFieldErrors } from '../../components/fieldErrors'
import { useDraftReport } from '../../components/update/useDraftReport'
import type { RegistrationForm } from './form'
import { emptyForm, toDraftInput } from './form'
import type { FlowPage } from './pages'
import { firstPageOf, firstPageWithErrors, pageErrors, pageShows, replacePageErrors } from './pages'
import { rejectionFieldErrors } from './rejection'
import type { SubmitState } from './ReviewStep'
import type { FormPatch, StepCheck, StepProps, StepWarnings } from './stepProps'
import type { CardNikChoice, CardNikQuestion } from './scan/cardFill'
import { afterNikEdit, answerCardNik, cardNikQuestion } from './scan/cardFill'
import type { StepId } from './steps'
import { draftErrors, FIELD_ORDER, firstErrorPath, validateStep } from './steps'
import { useDraftWarnings } from './useDraftWarnings'
import { useNikAutofill } from './useNikAutofill'
import { withPostRegion } from './postRegion'
import type { ResumedForm } from './desk/draftGuard'
import type { NikDuplicate } from './desk/useNikDuplicate'
import { useNikDuplicate } from './desk/useNikDuplicate'

/** The fields a question can be about (common/acknowledgements.ts `warningsToConfirm`). */
const QUESTION_PATHS = ['nik', 'birthDate', 'email']
const QUESTION_ERROR = 'warning.confirm.required'
/** Warnings a screen raises (not `registration.validate`): their answers stay with the record whatever main asks. */
const SCREEN_WARNINGS: readonly WarningCode[] = ['nik_differs_from_card']

type FocusTarget = { kind: 'heading' } | { kind: 'start' } | { kind: 'field'; path: string } | null

/**
 * Where focus lands when a page opens (issue 19: the heading cost a trained operator ~7 Tabs a registration):
 * 'any' field, the desk's choice, or only a 'text' field, the self-service kiosk's (its on-screen keyboard then
 * opens by itself; a page of big choices keeps its question focused). Either way the first one still empty, else
 * the first; the photo step and the review keep the heading (Space shoots; "Kirim" must be a deliberate press).
 */
export type AutoFocus = 'any' | 'text'

const EMPTY_FIRST = 'input, select, textarea'

/**
 * Whether a control's field is still empty, read from the form state where the control is one of the form's
 * fields: a drop-down whose options are still loading reads '' in the DOM although it holds a value.
 */
function emptyInState(el: Element, state: RegistrationForm): boolean | null {
  const path = FIELD_ORDER.find((p) => fieldId(p) === el.id)
  if (!path) return null
  const value = valueAt(state, path)
  return value === '' || value === false || value === null || value === undefined
}

function startField(form: HTMLFormElement | null, autoFocus: AutoFocus, state: RegistrationForm): HTMLElement | null {
  if (!form) return null
  const candidates = [...form.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>(EMPTY_FIRST)].filter((el) => {
    if (el.disabled || el.closest('.action-bar, .camera-picker') || el.getClientRects().length === 0) return false
    if (autoFocus === 'any') return true
    return el instanceof HTMLInputElement && ['text', 'tel', 'email'].includes(el.type)
  })
  const empty = candidates.find((el) =>
    emptyInState(el, state) ??
    (el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio')
      ? el.type === 'checkbox'
        ? !el.checked
        : !form.querySelector(`input[type="radio"][name="${el.name}"]:checked`)
      : el.value === ''),
  )
  return empty ?? candidates[0] ?? null
}

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
  page: FlowPage
  errors: FieldErrors
  focus: FocusTarget
}

/** The page of a step that must exist in every flow (review, receipt). */
function pageOf(pages: readonly FlowPage[], step: StepId): FlowPage {
  const page = firstPageOf(pages, step)
  if (!page) throw new Error(`registration flow without a ${step} page`)
  return page
}

/**
 * Where an edit opens: at the first field central (or today's rules) finds wrong, with its error shown, or at the
 * review when nothing can be pinned to a field.
 */
function startOf(pages: readonly FlowPage[], edit: EditTarget | undefined, exists: (key: string) => boolean, resume?: ResumedForm): Start {
  const first = pages[0]
  if (!first) throw new Error('registration flow without pages')
  // A parked draft (or an applicant's, handed to staff) goes on where it stopped.
  if (resume) return { form: resume.form, page: firstPageOf(pages, resume.step) ?? first, errors: {}, focus: { kind: 'start' } }
  if (!edit) return { form: emptyForm(), page: first, errors: {}, focus: { kind: 'start' } }
  const errors = { ...rejectionFieldErrors(edit.rejection, exists), ...draftErrors(edit.initial) }
  const page = firstPageWithErrors(pages, errors) ?? pageOf(pages, 'review')
  const path = firstErrorPath(pageErrors(page, errors))
  return { form: edit.initial, page, errors, focus: path ? { kind: 'field', path } : { kind: 'heading' } }
}

export interface RegistrationFlow {
  pages: readonly FlowPage[]
  page: FlowPage
  index: number
  form: RegistrationForm
  errors: FieldErrors
  /** What every step component takes. */
  stepProps: StepProps
  warnings: StepWarnings
  nik: { reading: boolean; onNik: (nik: string) => void }
  /** The photo step's own check, run before moving on. */
  stepCheck: RefObject<StepCheck | null>
  submit: SubmitState
  /** The NIK already registered (this kiosk, central): the flow can't go on to submit it (issue 19.1). */
  duplicate: NikDuplicate
  /** The typo catcher (issue 20.4): a typed NIK that differs from the card's read, and the answer to it. */
  cardNik: { question: CardNikQuestion | null; answer: (choice: CardNikChoice) => void }
  /** On to the next page as "Lanjut" would (the scan's "Ketik manual"). */
  next: () => void
  /** The form holds someone's data that is not sent yet: leaving it asks first (issue 19.2). */
  started: boolean
  receipt: Receipt | null
  saved: boolean
  returnToReview: boolean
  /** The draft as it will be sent, on the review page only. */
  reviewDraft: Draft | null
  /** Some error belongs to a field on this page. */
  pageHasErrors: boolean
  headingRef: RefObject<HTMLHeadingElement | null>
  formRef: RefObject<HTMLFormElement | null>
  back: () => void
  /** From the review: to the first page of a step, and back to the review from there. */
  editStep: (step: StepId) => void
  onSubmit: (event: FormEvent<HTMLFormElement>) => void
  onKeyDown: (event: KeyboardEvent<HTMLElement>) => void
}

/**
 * A registration's life in the renderer, whatever it looks like: one form state for all pages (Back loses
 * nothing), checked page by page with the same schema the kiosk uses, submitted once from the review. The draft
 * lives only in the memory of the component that holds this hook. With `edit`, the same flow fixes a rejected
 * record and every page returns to the review.
 */
export function useRegistrationFlow(allPages: readonly FlowPage[], edit?: EditTarget, resume?: ResumedForm, autoFocus: AutoFocus = 'any'): RegistrationFlow {
  const { i18n } = useTranslation()
  const [info] = useCall((posko) => posko.app.info())
  // The KTP scan is offered where the kiosk has the reader and the preview camera, and never to fix a stored record.
  const scanning = info.status === 'ready' && info.value.ktpReader && info.value.cameraSource === 'renderer' && edit === undefined
  const pages = useMemo(() => (scanning ? allPages : allPages.filter((p) => p.step !== 'scan')), [allPages, scanning])
  const [start] = useState(() => startOf(allPages, edit, (key) => i18n.exists(key), resume))
  const [form, setForm] = useState<RegistrationForm>(start.form)
  const [page, setPage] = useState<FlowPage>(start.page)
  const [errors, setErrors] = useState<FieldErrors>(start.errors)
  const [returnToReview, setReturnToReview] = useState(edit !== undefined)
  const [submit, setSubmit] = useState<SubmitState>({ status: 'idle' })
  const [receipt, setReceipt] = useState<Receipt | null>(null)
  const [saved, setSaved] = useState(false)
  const [focus, setFocus] = useState<FocusTarget>(start.focus)
  const headingRef = useRef<HTMLHeadingElement>(null)
  const formRef = useRef<HTMLFormElement>(null)
  const stepCheck = useRef<StepCheck | null>(null)
  const reported = useDraftWarnings(form, page.step !== 'receipt')
  // The questions as last heard: from the report asked while typing, or from the check before moving on.
  const [confirm, setConfirm] = useState<readonly WarningToConfirm[]>([])
  useEffect(() => setConfirm(reported.confirm), [reported.confirm])
  const checking = useRef(false)
  const nik = useNikAutofill(setForm)
  const postRegion = info.status === 'ready' ? info.value.postRegion : null
  const review = pageOf(pages, 'review')
  const done = pageOf(pages, 'receipt')
  const duplicate = useNikDuplicate(form.nik, edit?.id)
  // Updates wait while the form holds someone's data: from the first input until it is sent (or the form goes).
  const started = (form !== start.form || resume !== undefined) && receipt === null && !saved
  useDraftReport(started)

  // After the page (or its errors) rendered: the new page's heading, or the first field that needs fixing.
  useEffect(() => {
    if (!focus) return
    const start = focus.kind === 'start' && page.step !== 'photo' && page.step !== 'review' ? startField(formRef.current, autoFocus, form) : null
    if (start) start.focus()
    else if (focus.kind === 'heading' || focus.kind === 'start') headingRef.current?.focus()
    else document.getElementById(fieldId(focus.path))?.focus()
    setFocus(null)
  }, [focus, page, autoFocus, form])

  const update = useCallback((patch: FormPatch) => setForm((current) => ({ ...current, ...(typeof patch === 'function' ? patch(current) : patch) })), [])

  /** An answered question's "answer this first" goes from its field; any other error there stays. */
  const clearQuestion = (path: string) =>
    setErrors((current) => {
      if (current[path] !== QUESTION_ERROR) return current
      const { [path]: _answered, ...rest } = current
      return rest
    })

  // An answer to the typo catcher holds for the NIK it was about; an edit of the NIK asks again.
  const answeredNik = useRef(form.nik)
  useEffect(() => {
    if (answeredNik.current === form.nik) return
    answeredNik.current = form.nik
    setForm((current) => afterNikEdit(current))
  }, [form.nik])
  const cardQuestion = cardNikQuestion(form)
  const cardNik = {
    question: cardQuestion,
    answer: (choice: CardNikChoice) => {
      // The card's NIK goes in as if typed, so the birth date and region it names are read again.
      if (choice === 'card' && form.card?.nik) nik.onNik(form.card.nik)
      setForm((current) => answerCardNik(current, choice))
      clearQuestion('nik')
    },
  }

  // "Ya, benar": the answer joins the form (and so the record); the field's "answer this first" goes.
  const answers = {
    answered: (code: WarningCode) => form.acknowledgements.some((ack) => ack.warning === code),
    answer: (warning: WarningToConfirm) => {
      setForm((current) => ({
        ...current,
        acknowledgements: [...current.acknowledgements.filter((ack) => ack.warning !== warning.warning), { warning: warning.warning }],
      }))
      clearQuestion(warning.path.join('.'))
    },
  }
  const warnings: StepWarnings = { ...reported, confirm, answers }

  /**
   * The kiosk's questions about the draft as it is now (issue 19), asked afresh rather than taken from the report
   * of a moment ago: a fix typed just before Enter counts. Null when the kiosk can't be asked (the submit checks).
   */
  const askQuestions = async (draft: RegistrationForm): Promise<readonly WarningToConfirm[] | null> => {
    const result = await callPosko((posko) => posko.registration.validate({ draft: toDraftInput(draft) }))
    if (!result.ok) return null
    setConfirm(result.value.confirm)
    return result.value.confirm
  }

  /** The questions the page's own fields leave unanswered, as errors at those fields. */
  const unansweredOn = async (target: FlowPage): Promise<FieldErrors> => {
    if (!QUESTION_PATHS.some((path) => pageShows(target, path))) return {}
    const asked = await askQuestions(form)
    const open = unanswered(asked ?? [], form.acknowledgements).filter((warning) => pageShows(target, warning.path.join('.')))
    return Object.fromEntries(open.map((warning) => [warning.path.join('.'), QUESTION_ERROR]))
  }

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

  const goTo = (next: FlowPage) => {
    // The KTP address opens at the post's regency when the NIK named none (or no NIK was read): one region less.
    if (pageShows(next, 'ktpAddress.villageCode')) {
      setForm((current) => {
        const ktpAddress = withPostRegion(current.ktpAddress, postRegion)
        return ktpAddress === current.ktpAddress ? current : { ...current, ktpAddress }
      })
    }
    setPage(next)
    setFocus({ kind: 'start' })
    // A refusal belongs to the attempt it answered; after a detour the next "Kirim" is a new attempt.
    setSubmit({ status: 'idle' })
  }

  const showErrors = (all: FieldErrors) => {
    setErrors(all)
    const target = firstPageWithErrors(pages, all)
    if (!target) return
    setPage(target)
    const path = firstErrorPath(pageErrors(target, all))
    if (path) setFocus({ kind: 'field', path })
  }

  const index = pages.indexOf(page)

  const forward = async () => {
    const checked = {
      // The typo catcher's question holds the NIK step until it is answered; the NIK's own errors come first.
      ...(page.step === 'nik' && cardQuestion && !cardQuestion.answered ? { nik: QUESTION_ERROR } : {}),
      ...pageErrors(page, validateStep(page.step, form)),
      ...stepCheck.current?.(),
      // A NIK registered already (this kiosk, central) stops here: the notice under it says whose and what next.
      ...(page.step === 'nik' && duplicate.found ? { nik: 'validation.nik_registered' } : {}),
    }
    // A warning that needs an answer holds the step like an error does, but only once the entries are right.
    const fresh = Object.keys(checked).length > 0 ? checked : await unansweredOn(page)
    setErrors(replacePageErrors(errors, page, fresh))
    const first = firstErrorPath(fresh)
    if (first) return setFocus({ kind: 'field', path: first })
    const following = pages[index + 1]
    // A detour from the review covers its whole step, then goes straight back.
    const next = returnToReview && following?.step !== page.step ? review : following
    if (next === review) {
      // Every page was checked on the way, but an "Ubah" detour may have left another step inconsistent.
      const all = draftErrors(form)
      if (Object.keys(all).length > 0) return showErrors(all)
      setReturnToReview(false)
    }
    if (next) goTo(next)
  }

  const send = async () => {
    // Answers to questions no longer asked (the email was corrected after all) are not kept with the record.
    const asked = await askQuestions(form)
    const kept = asked
      ? form.acknowledgements.filter((ack) => SCREEN_WARNINGS.includes(ack.warning) || asked.some((warning) => warning.warning === ack.warning))
      : form.acknowledgements
    const open = unanswered(asked ?? [], kept)
    if (open.length > 0) return showErrors(Object.fromEntries(open.map((warning) => [warning.path.join('.'), QUESTION_ERROR])))
    if (cardQuestion && !cardQuestion.answered) return showErrors({ nik: QUESTION_ERROR })
    const parsed = RegistrationDraft.safeParse(toDraftInput({ ...form, acknowledgements: kept }))
    if (!parsed.success) return showErrors(draftErrors(form))
    if (duplicate.found) return
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
    goTo(done)
  }

  const refused = (error: PoskoErrorShape) => {
    if (error.code === 'duplicate_nik') {
      return setSubmit({ status: 'duplicate', receiptNo: String(error.details?.receiptNo ?? '') })
    }
    if (error.code === 'warning_unacknowledged' && error.issues && error.issues.length > 0) {
      setSubmit({ status: 'idle' })
      void askQuestions(form)
      return showErrors(Object.fromEntries(error.issues.map((issue) => [issue.path.join('.'), QUESTION_ERROR])))
    }
    if (error.code === 'invalid_input' && error.issues && error.issues.length > 0) {
      setSubmit({ status: 'idle' })
      return showErrors(toFieldErrors(error.issues))
    }
    setSubmit({ status: 'failed', error })
  }

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    if (submit.status === 'sending' || checking.current) return
    checking.current = true
    const done = () => {
      checking.current = false
    }
    void (page.step === 'review' ? send() : forward()).finally(done)
  }

  // Enter moves on from anywhere in the page: browsers submit on Enter only from text fields, not from a tick
  // box, a radio, or the page heading that holds focus when a page opens.
  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    const target = event.target
    // A drop-down too (issue 19): typing picks its entry, so Enter is free to move on instead of opening the list.
    const fromChoice = (target instanceof HTMLInputElement && (target.type === 'checkbox' || target.type === 'radio')) || target instanceof HTMLSelectElement
    // Sending is the one step that must be a deliberate press of "Kirim", never a stray Enter.
    const fromHeading = target === headingRef.current && page.step !== 'review'
    if (event.key === 'Enter' && (fromChoice || fromHeading)) {
      event.preventDefault()
      formRef.current?.requestSubmit()
    }
  }

  const back = () => {
    const previous = pages[index - 1]
    if (previous) goTo(previous)
  }

  const editStep = (step: StepId) => {
    const target = firstPageOf(pages, step)
    if (!target) return
    setReturnToReview(true)
    goTo(target)
  }

  const reviewParsed = page.step === 'review' ? RegistrationDraft.safeParse(toDraftInput(form)) : null
  return {
    pages,
    page,
    index,
    form,
    errors,
    stepProps: { form, errors, update },
    warnings,
    nik,
    stepCheck,
    submit,
    duplicate,
    cardNik,
    next: () => formRef.current?.requestSubmit(),
    started,
    receipt,
    saved,
    returnToReview,
    reviewDraft: reviewParsed?.success ? reviewParsed.data : null,
    pageHasErrors: Object.keys(errors).some((path) => pageShows(page, path)),
    headingRef,
    formRef,
    back,
    editStep,
    onSubmit,
    onKeyDown,
  }
}

/** The value at a dotted form path ("ktpAddress.rt"), compared by identity to see whether it was edited. */
function valueAt(form: RegistrationForm, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), form)
}
