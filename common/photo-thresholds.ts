import { z } from 'zod'

/**
 * Where each quality check draws its line. The defaults come from measuring the fixture set
 * (docs/photo-thresholds.md has the numbers and the reasoning); the kiosk config (common/config.ts, photoThresholds) overrides them
 * per post, which is why they are a schema and not constants. Every field has a default, so `{}` parses.
 */
const Range = z
  .strictObject({ min: z.number().min(0).max(255), max: z.number().min(0).max(255) })
  .refine((r) => r.min < r.max, 'min must be below max')

const FaceThresholds = z.strictObject({
  /** Shorter side of the (upright) frame, px: the 3:4 crop can be no taller than this. */
  minShortSide: z.number().int().positive().default(480),
  /** Detector score below which a candidate is not counted as a face. */
  minFaceScore: z.number().min(0).max(1).default(0.5),
  /** Face box height as a fraction of the frame height. */
  minFaceHeight: z.number().min(0).max(1).default(0.3),
  /** Largest distance of the face box centre from the frame centre, as a fraction of width or height. */
  maxCenterOffset: z.number().min(0).max(0.5).default(0.2),
  /** Mean grey level (0–255) of the stored photo. */
  brightness: Range.default({ min: 45, max: 200 }),
  /** Variance of the Laplacian of the photo's grey levels, at the frame's resolution (see pipeline measure()). */
  minSharpness: z.number().min(0).default(15),
  /** The face photo's budget on the uplink (issue 23.3): past it the quality steps down rather than send more. */
  maxBytes: z.number().int().positive().default(48 * 1024),
  /**
   * The JPEG quality the stored photo is written at (lower only if it would not fit maxBytes). Every byte of it
   * crosses the post's uplink (issue 23.3); the record-bytes bench (test/bench/record-bytes.bench.ts) shows what
   * each quality costs and that the stored face passes the face checks again down to 56. 72: a third fewer bytes
   * than 88, two steps above the lowest measured.
   */
  quality: z.number().int().min(32).max(95).default(72),
})

const CardThresholds = z.strictObject({
  /** Longer side of the frame, px: the stored card is 1000 px wide and should not be an enlargement. */
  minLongSide: z.number().int().positive().default(1000),
  brightness: Range.default({ min: 45, max: 220 }),
  minSharpness: z.number().min(0).default(25),
  /**
   * Share of the card picture that must hold detail (a 16×10 grid, grey s.d. ≥ 8 per cell): a framed KTP is ~0.7,
   * a blank frame ~0, Chromium's fake camera ~0.1 (docs/photo-thresholds.md).
   */
  minDetail: z.number().min(0).max(1).default(0.3),
  maxBytes: z.number().int().positive().default(150 * 1024),
  /**
   * As the face's; chosen so the stored card still passes the card checks and the KTP reader reads its NIK as
   * often as off the camera frame (record-bytes bench: every card down to 64, one lost at 56;
   * test/unit/record-bytes.test.ts reads one back). 72: 37 % fewer bytes than 88, a step of margin above 64.
   */
  quality: z.number().int().min(32).max(95).default(72),
})

export const PhotoThresholds = z.strictObject({
  face: FaceThresholds.prefault({}),
  card: CardThresholds.prefault({}),
})
export type PhotoThresholds = z.infer<typeof PhotoThresholds>

export const defaultPhotoThresholds: Readonly<PhotoThresholds> = PhotoThresholds.parse({})
