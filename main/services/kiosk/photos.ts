import { DomainError } from '../../../common/result'
import type { Handlers } from '../dispatch'
import type { KtpService } from '../ktp/service'
import type { PhotoService } from '../photos/service'
import type { SessionManager } from '../sessions/sessions'

/** The camera steps: photos with their quality gate, and the KTP reader where one is installed. */
export function photoHandlers(deps: {
  photos: PhotoService
  ktp: KtpService | null
  sessions: Pick<SessionManager, 'current'>
}): Pick<Handlers, 'photo.process' | 'ktp.read' | 'photo.capture' | 'photo.preview'> {
  const { photos, ktp, sessions } = deps
  return {
    'photo.process': ({ kind, jpegBase64 }) => photos.process(kind, jpegBase64),
    'ktp.read': ({ jpegBase64, session: scan }) => {
      if (!ktp) throw new DomainError('unavailable', 'The KTP reader is not installed on this kiosk')
      return ktp.read(jpegBase64, scan)
    },
    'photo.capture': ({ kind }) => photos.capture(kind),
    // With no one signed in (an applicant at self-service), only photos no record has claimed yet.
    'photo.preview': ({ sha256 }) => photos.preview(sha256, { draftOnly: sessions.current() === null }),
  }
}
