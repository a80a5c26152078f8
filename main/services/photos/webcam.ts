import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DomainError } from '../../../common/result'
import type { Logger } from '../platform/logger'
import { moduleRequire } from './load-module'

export interface WebcamCaptureOptions {
  /** `/dev/videoN`, a `/dev/v4l/by-id/…` or `/dev/v4l/by-path/…` link, or `TEST` for fswebcam's colour bars. */
  device: string
  width: number
  height: number
  /** Frames thrown away first: a camera that has just opened needs a few to settle its exposure. */
  skipFrames?: number
  timeoutMs?: number
  logger?: Logger
}

/** The part of node-webcam used here (it ships no types). */
interface NodeWebcamModule {
  FSWebcam: new (options: Record<string, unknown>) => {
    capture(location: string, callback: (error: Error | null, location?: string) => void): void
  }
}

// node-webcam builds a shell command line by string concatenation, so anything placed in it must be unable to
// carry shell syntax: the device is matched against known shapes and the temp path against a plain character set.
const DEVICE = /^(TEST|\/dev\/video\d{1,3}|\/dev\/v4l\/by-(id|path)\/[\w.:+-]{1,200})$/
const SAFE_PATH = /^[\w./-]+$/
const DEFAULT_TIMEOUT_MS = 10_000

/**
 * One JPEG frame from a camera attached to the kiosk, through node-webcam and fswebcam (Linux). The frame goes
 * through a private temp folder that is removed afterwards, whatever happens. Errors are DomainErrors:
 * `invalid_input` for a bad device name or size, `unavailable` for everything about the camera or fswebcam.
 */
export async function captureFromWebcam(options: WebcamCaptureOptions): Promise<Buffer> {
  const { device, width, height } = options
  if (!DEVICE.test(device)) throw new DomainError('invalid_input', 'webcam device must be /dev/videoN, a /dev/v4l link or TEST')
  if (![width, height].every((n) => Number.isInteger(n) && n >= 160 && n <= 4096)) {
    throw new DomainError('invalid_input', 'webcam width and height must be whole numbers from 160 to 4096')
  }
  if (process.platform !== 'linux') {
    throw new DomainError('unavailable', `webcam capture from the main process needs fswebcam (Linux); this is ${process.platform}`)
  }
  const skipFrames = Math.max(0, Math.min(30, Math.trunc(options.skipFrames ?? 0)))
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS

  const dir = await mkdtemp(join(tmpdir(), 'posko-webcam-'))
  const file = join(dir, 'frame.jpg')
  try {
    if (!SAFE_PATH.test(file)) throw new DomainError('unavailable', `temp folder path is not safe to hand to a shell: ${dir}`)
    const started = performance.now()
    await withTimeout(shoot(file, { device, width, height, skipFrames }), timeoutMs, device)
    const jpeg = await readFile(file).catch(() => Buffer.alloc(0))
    if (jpeg.byteLength === 0) throw new DomainError('unavailable', `camera ${device} produced no image`)
    options.logger?.debug('webcam frame captured', { device, bytes: jpeg.byteLength, ms: Math.round(performance.now() - started) })
    return jpeg
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

function shoot(file: string, o: { device: string; width: number; height: number; skipFrames: number }): Promise<void> {
  let NodeWebcam: NodeWebcamModule
  try {
    NodeWebcam = moduleRequire()('node-webcam') as NodeWebcamModule
  } catch (error) {
    return Promise.reject(new DomainError('unavailable', `node-webcam is not installed: ${String(error)}`))
  }
  const camera = new NodeWebcam.FSWebcam({
    width: o.width,
    height: o.height,
    quality: 95,
    output: 'jpeg',
    device: o.device,
    skip: o.skipFrames || false,
    delay: 0,
    saveShots: false,
    callbackReturn: 'location',
    verbose: false,
  })
  return new Promise((resolve, reject) => {
    camera.capture(file, (error) => (error ? reject(toDomainError(error, o.device)) : resolve()))
  })
}

function toDomainError(error: Error & { code?: unknown }, device: string): DomainError {
  const message = error.message
  if (error.code === 127 || /fswebcam: (command )?not found/i.test(message)) {
    return new DomainError('unavailable', 'fswebcam is not installed (apt-get install fswebcam)')
  }
  if (/no webcam found/i.test(message)) return new DomainError('unavailable', `no camera at ${device}`)
  return new DomainError('unavailable', `webcam capture failed: ${message.trim().slice(0, 300)}`)
}

/**
 * node-webcam does not expose fswebcam's process, so a hung camera cannot be killed from here; the capture is
 * abandoned instead (fswebcam gives up by itself: its own frame timeout is 10 s) and its late file lands in a
 * folder that is already gone.
 */
function withTimeout<T>(work: Promise<T>, ms: number, device: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DomainError('unavailable', `camera ${device} did not answer within ${ms} ms`)), ms)
  })
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer))
}
