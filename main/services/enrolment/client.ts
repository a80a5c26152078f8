import { DomainError } from '../../../common/result'
import { readCapped, ResponseTooLargeError, SMALL_ANSWER_BYTES } from '../central/read-capped'
import type { EnrolRequest } from './wire'
import { EnrolAnswer, ENROL_PATH } from './wire'

/**
 * The kiosk's one call before it has a token. Every way it can go wrong becomes a DomainError whose `reason`
 * detail tells IT what to do: retype the code, ask for a new one, or check the network.
 */
export async function requestEnrolment(
  doFetch: typeof fetch,
  centralUrl: string,
  body: EnrolRequest,
  timeoutMs: number,
): Promise<EnrolAnswer> {
  let response: Response
  let text: string
  try {
    response = await doFetch(`${centralUrl}${ENROL_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
      // A redirect would carry the code to wherever it points; an enrolment URL must be the right one.
      redirect: 'manual',
    })
    text = await readCapped(response, SMALL_ANSWER_BYTES)
  } catch (error) {
    if (error instanceof ResponseTooLargeError) {
      throw new DomainError('unavailable', 'central answered something that is not an enrolment (too large)', { reason: 'bad_answer' })
    }
    const reason = (error as Error).name === 'TimeoutError' ? 'timeout' : 'network'
    throw new DomainError('unavailable', `central unreachable at ${centralUrl} (${reason})`, { reason })
  }
  const status = response.status
  if (status === 403) throw new DomainError('forbidden', 'central refused the enrolment code (wrong, used or expired)', { reason: 'code_refused' })
  if (status === 400) throw new DomainError('invalid_input', `central refused the request: ${centralCode(text) ?? 'bad request'}`, { reason: centralCode(text) ?? 'bad_request' })
  if (status === 409) throw new DomainError('conflict', 'this kiosk key is already enrolled', { reason: centralCode(text) ?? 'conflict' })
  if (status === 404 || status === 405) throw new DomainError('unavailable', 'this URL does not offer enrolment (wrong URL, or an older central)', { reason: 'not_supported' })
  if (status !== 200) throw new DomainError('unavailable', `central answered ${status}`, { reason: 'server', status })
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    // A captive portal's login page is a 200 too: anything that is not our answer is no answer.
    throw new DomainError('unavailable', 'central answered something that is not an enrolment', { reason: 'bad_answer' })
  }
  const parsed = EnrolAnswer.safeParse(json)
  if (!parsed.success || parsed.data.postId !== body.postId) {
    throw new DomainError('unavailable', 'central answered something that is not an enrolment', { reason: 'bad_answer' })
  }
  return parsed.data
}

function centralCode(text: string): string | undefined {
  try {
    const code = (JSON.parse(text) as { error?: { code?: unknown } }).error?.code
    return typeof code === 'string' ? code.slice(0, 40) : undefined
  } catch {
    return undefined
  }
}
