/** Pixel rectangle inside a frame; always integers and always inside the frame. */
export interface Rect {
  left: number
  top: number
  width: number
  height: number
}

export interface Size {
  width: number
  height: number
}

/** A face as the detector reports it, in pixels of the frame it was given. */
export interface FaceBox {
  x: number
  y: number
  width: number
  height: number
  /** Detector confidence, 0–1. */
  score: number
}

/**
 * Pas-foto framing: head and the top of the shoulders, the head about two thirds of the height. Blazeface's box
 * (at scale 1) runs roughly from the hairline to the chin, so the photo is this many box heights tall...
 */
export const FACE_CROP_HEIGHTS = 1.7
/** ...with the box centre this far down from the photo's top, leaving room for the hair above. */
export const FACE_CENTRE_FROM_TOP = 0.48

/** The largest rectangle of the given aspect (width / height) centred in the frame. */
export function centreCrop(frame: Size, aspect: number): Rect {
  const width = Math.min(frame.width, frame.height * aspect)
  const height = width / aspect
  return snap(frame, { left: (frame.width - width) / 2, top: (frame.height - height) / 2, width, height })
}

/**
 * A crop of the given aspect framed around the face. When the frame is too small to give the face its margins,
 * the crop shrinks (keeping the aspect) and then slides inside the frame, so the face ends up off-centre rather
 * than the photo being padded with invented pixels; the face_centered and face_size checks report that case.
 */
export function faceCrop(frame: Size, face: FaceBox, aspect: number): Rect {
  let height = face.height * FACE_CROP_HEIGHTS
  let width = height * aspect
  const fit = Math.min(1, frame.width / width, frame.height / height)
  width *= fit
  height *= fit
  const cx = face.x + face.width / 2
  const cy = face.y + face.height / 2
  const left = clamp(cx - width / 2, 0, frame.width - width)
  const top = clamp(cy - height * FACE_CENTRE_FROM_TOP, 0, frame.height - height)
  return snap(frame, { left, top, width, height })
}

/** Rounds to whole pixels without ever stepping outside the frame or collapsing to nothing. */
function snap(frame: Size, r: Rect): Rect {
  const left = clamp(Math.round(r.left), 0, frame.width - 1)
  const top = clamp(Math.round(r.top), 0, frame.height - 1)
  const width = clamp(Math.round(r.width), 1, frame.width - left)
  const height = clamp(Math.round(r.height), 1, frame.height - top)
  return { left, top, width, height }
}

const clamp = (value: number, min: number, max: number) => Math.min(Math.max(value, min), max)
