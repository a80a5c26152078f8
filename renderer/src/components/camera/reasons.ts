import type { PhotoCheck } from '../../../../common/photos'

/** What the person in front of the camera is told for a failed check (i18n `photo.reasons.*`). */
export type PhotoReason =
  | 'unreadable'
  | 'resolution'
  | 'no_face'
  | 'several_faces'
  | 'face_small'
  | 'not_centred'
  | 'too_dark'
  | 'too_bright'
  | 'blurred'
  | 'blank_frame'

function missingCase(value: never): never {
  throw new Error(`unhandled photo check ${String(value)}`)
}

/**
 * One check's failure as a reason. The check carries its bounds (docs/photo-thresholds.md): the value against
 * `min`/`max` says which way it failed, so 0 faces and 2 faces, or too dark and too bright, read differently.
 */
export function reasonOf(check: PhotoCheck): PhotoReason {
  switch (check.id) {
    case 'decodable':
      return 'unreadable'
    case 'resolution':
      return 'resolution'
    case 'face_count':
      return check.value < (check.min ?? 1) ? 'no_face' : 'several_faces'
    case 'face_size':
      return 'face_small'
    case 'face_centered':
      return 'not_centred'
    case 'brightness':
      return check.min !== undefined && check.value < check.min ? 'too_dark' : 'too_bright'
    case 'blur':
      return 'blurred'
    case 'content':
      return 'blank_frame'
    default:
      return missingCase(check.id)
  }
}

/** The failed checks' reasons, in the pipeline's order (the first is the one to fix first), without repeats. */
export function failureReasons(checks: readonly PhotoCheck[]): PhotoReason[] {
  return [...new Set(checks.filter((c) => !c.ok).map(reasonOf))]
}
