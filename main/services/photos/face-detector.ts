import { readFile } from 'node:fs/promises'
import { dirname, join, sep } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type * as Tf from '@tensorflow/tfjs-core'
import type { Config, Human } from '@vladmandic/human'
import { DomainError } from '../../../common/result'
import type { FaceBox } from './crop'
import type { Logger } from '../platform/logger'
import { moduleRequire, unpackedPath } from './load-module'

/** What processPhoto needs from face detection; tests inject a fake so other logic runs without the model. */
export interface FaceDetector {
  /** Faces in a packed RGB frame (3 bytes a pixel, rows top to bottom), in that frame's pixels. */
  detect(rgb: Uint8Array, width: number, height: number): Promise<FaceBox[]>
  dispose(): void
}

export interface FaceDetectorOptions {
  /** Folder holding blazeface.json and blazeface.bin (resources/models in the repo and in the packaged app). */
  modelDir: string
  logger?: Logger
  /** Candidates below this are dropped inside the detector; processPhoto applies the real (config) threshold. */
  minScore?: number
  /** More than this many faces reads as "more than one" just the same. */
  maxFaces?: number
  /** Longest wait for one detection (model load included) before reporting the detector unavailable. */
  timeoutMs?: number
  /** A file whose node_modules hold @vladmandic/human; see moduleRequire(). */
  resolveFrom?: string
}

type HumanModule = typeof import('@vladmandic/human')
type ModelJson = Tf.io.ModelJSON

/**
 * Human's own files are the Node WASM build: no native tfjs-node addon to rebuild for Electron, and the same
 * numbers on every kiosk. Model loading is ours, from disk, because Human fetches models with the global
 * `fetch`, which cannot read file:// URLs in Node, and the kiosk must never reach for a CDN.
 */
export function createFaceDetector(options: FaceDetectorOptions): FaceDetector {
  let loading: Promise<Human> | undefined
  // Human keeps per-call state; one detection at a time keeps results from interleaving.
  let queue: Promise<unknown> = Promise.resolve()
  let disposed = false

  const ready = () => {
    loading ??= loadHuman(options).catch((error: unknown) => {
      loading = undefined // a later call may retry, e.g. after the model files are restored
      throw error
    })
    return loading
  }

  const run = async (rgb: Uint8Array, width: number, height: number): Promise<FaceBox[]> => {
    if (disposed) throw new DomainError('unavailable', 'face detector was disposed')
    if (rgb.byteLength !== width * height * 3) {
      throw new DomainError('invalid_input', `expected ${width}×${height}×3 bytes, got ${rgb.byteLength}`)
    }
    const human = await ready()
    const tf = human.tf as typeof Tf
    const tensor = tf.tensor3d(rgb, [height, width, 3], 'int32')
    try {
      const result = await human.detect(tensor)
      return result.face.map((face) => {
        const [x, y, w, h] = face.box
        return { x, y, width: w, height: h, score: face.boxScore }
      })
    } finally {
      tensor.dispose()
    }
  }

  return {
    detect(rgb, width, height) {
      const next = queue.then(() => withTimeout(run(rgb, width, height), options.timeoutMs ?? DEFAULT_TIMEOUT_MS))
      queue = next.catch(() => undefined)
      return next
    },
    // Queued behind any detection still running, so the model's weights are not freed under it.
    dispose() {
      disposed = true
      const loaded = loading
      loading = undefined
      queue = queue
        .then(() => loaded)
        .then((human) => {
          for (const model of Object.values(human?.models.models ?? {})) model?.dispose()
        })
        .catch(() => undefined)
    },
  }
}

// Loading takes ~0.2 s and a detection ~50 ms; anything near this means Human is stuck, not slow.
const DEFAULT_TIMEOUT_MS = 15_000

/** Human can leave a detection pending forever after an internal error; never let that hang a registration. */
function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DomainError('unavailable', `face detection did not finish within ${ms} ms`)), ms)
  })
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer))
}

async function loadHuman(options: FaceDetectorOptions): Promise<Human> {
  const started = performance.now()
  const resolver = moduleRequire(options.resolveFrom)
  let humanModule: HumanModule
  let wasmDir: string
  try {
    // The package's exports map offers only the tfjs-node build; the WASM build is reached by its file path.
    const humanFile = join(dirname(resolver.resolve('@vladmandic/human')), 'human.node-wasm.js')
    // Human keeps its models in module scope, shared by every instance: a fresh copy of the module per detector
    // keeps one detector's failed load (which Human remembers as an empty model) from poisoning the next.
    delete resolver.cache[humanFile]
    humanModule = resolver(humanFile) as HumanModule
    wasmDir = join(unpackedPath(dirname(resolver.resolve('@tensorflow/tfjs-backend-wasm'))), sep)
  } catch (error) {
    throw new DomainError('unavailable', `face detection library is missing: ${String(error)}`)
  }
  const modelBase = pathToFileURL(join(options.modelDir, sep)).href
  const human = new humanModule.Human(humanConfig(modelBase, wasmDir, options))
  registerModelRouter(human.tf as typeof Tf, modelBase)
  const before = processListeners()
  try {
    await human.load()
  } catch (error) {
    throw new DomainError('unavailable', `face detection model failed to load from ${options.modelDir}: ${String(error)}`)
  } finally {
    removeListenersAddedSince(before)
  }
  // Human logs a failed model load and carries on with an empty model (its list() even says "loaded"), whose
  // detect() then never settles; only stats() tells the truth.
  const blazeface = human.models.stats().modelStats.find((m) => m.name === 'blazeface')
  if (!blazeface?.loaded) {
    throw new DomainError('unavailable', `face detection model could not be loaded from ${options.modelDir}`)
  }
  options.logger?.info('face detector ready', { ms: Math.round(performance.now() - started), backend: human.tf.getBackend() })
  return human
}

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] }

/** Face boxes only: every other model Human has would cost load time and memory and is not needed. */
function humanConfig(modelBasePath: string, wasmPath: string, options: FaceDetectorOptions): Partial<Config> {
  const config: DeepPartial<Config> = {
    backend: 'wasm',
    wasmPath,
    modelBasePath,
    debug: false,
    async: true,
    warmup: 'none',
    // Each call is a different person or a retake: never reuse an earlier frame's answer.
    cacheSensitivity: 0,
    cacheModels: false,
    // Human's image filters need a canvas, which Node has not; the quality checks are ours anyway.
    filter: { enabled: false },
    face: {
      enabled: true,
      detector: {
        modelPath: 'blazeface.json',
        rotation: false,
        maxDetected: options.maxFaces ?? 5,
        minConfidence: options.minScore ?? 0.2,
        skipFrames: 0,
        skipTime: 0,
        // The raw detector box (roughly hairline to chin), so thresholds speak about the face itself.
        scale: 1,
        return: false,
      },
      mesh: { enabled: false },
      iris: { enabled: false },
      emotion: { enabled: false },
      description: { enabled: false },
      antispoof: { enabled: false },
      liveness: { enabled: false },
      attention: { enabled: false },
      gear: { enabled: false },
    },
    body: { enabled: false },
    hand: { enabled: false },
    object: { enabled: false },
    gesture: { enabled: false },
    segmentation: { enabled: false },
  }
  // Human merges a partial config deeply, though its type only admits a shallow Partial.
  return config as Partial<Config>
}

// tfjs keeps its IO routers for the life of the process and a second match for one URL is an error, so each
// model folder gets exactly one router however many detectors are created.
const routedPrefixes = new Set<string>()

/** Serves file:// URLs under `prefix` from disk, the way tfjs-node's file handler would. */
function registerModelRouter(tf: typeof Tf, prefix: string) {
  if (routedPrefixes.has(prefix)) return
  routedPrefixes.add(prefix)
  const route = (url: string | string[]): Tf.io.IOHandler | null => {
    if (typeof url !== 'string' || !url.startsWith(prefix)) return null
    const path = fileURLToPath(url)
    return {
      load: async () => {
        const json = JSON.parse(await readFile(path, 'utf8')) as ModelJson
        return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
          const buffers: ArrayBuffer[] = []
          for (const group of manifest) {
            for (const file of group.paths) {
              const bytes = await readFile(join(dirname(path), file))
              buffers.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer)
            }
          }
          return [tf.io.getWeightSpecs(manifest), tf.io.concatenateArrayBuffers(buffers)]
        })
      },
    }
  }
  // tfjs declares routers as always returning a handler, but its registry skips null (its own http router
  // returns null for non-http URLs), which is how a router declines a URL.
  tf.io.registerLoadRouter(route as Parameters<typeof tf.io.registerLoadRouter>[0])
}

function processListeners() {
  return {
    uncaught: new Set(process.listeners('uncaughtException')),
    rejection: new Set(process.listeners('unhandledRejection')),
  }
}

/**
 * The tfjs WASM backend's Emscripten glue, when it starts under Node, installs process-wide handlers that rethrow
 * every uncaught exception and unhandled rejection. That suits a command-line program, not a kiosk's main
 * process, where it would turn any stray rejection anywhere into a crash. A library has no business there.
 */
function removeListenersAddedSince(before: ReturnType<typeof processListeners>) {
  for (const listener of process.listeners('uncaughtException')) {
    if (!before.uncaught.has(listener)) process.removeListener('uncaughtException', listener)
  }
  for (const listener of process.listeners('unhandledRejection')) {
    if (!before.rejection.has(listener)) process.removeListener('unhandledRejection', listener)
  }
}
