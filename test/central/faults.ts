import { mulberry32 } from '../fixtures/prng'
/**
 * Fault injection for the reference central server: the network and server misbehaviour a post's uploader must
 * survive (DESIGN.md §6). Faults change what the client sees, never what the server stores: every fault either
 * happens before the request reaches the application (so nothing is applied) or after the application committed
 * (so the DB is the truth and a retry with the same Idempotency-Key gets the real answer).
 *
 * Spec grammar (the `--faults` string), comma-separated `key=value` items:
 *   latency=MS | latency=MIN-MAX   delay every request, uniform in [MIN, MAX] ms
 *   error=P                        500, 502 or 503 (evenly)
 *   500=P  502=P  503=P            that status only; 503 carries Retry-After
 *   429=P                          starts a 429 storm: every request gets 429 until Retry-After has passed
 *   drop=P                         connection destroyed, evenly before or after the request is applied
 *   drop-before=P  drop-after=P    one side only; drop-after is the nasty case: committed, never heard
 *   truncate=P                     200 with the JSON body cut in half
 *   captive=P                      200 text/html captive-portal page instead of the API
 *   partial=P                      batch only: records at even positions rejected (validation.rejected_by_central)
 *   slow=P                         the response body trickles out over slow-ms
 *   retry-after=S                  Retry-After seconds for 429 and 503 (default 1; 0 allowed for fast tests)
 *   slow-ms=MS                     how long a slow body takes (default 2000)
 *   seed=N                         PRNG seed (default 1), so a chaos run can be replayed exactly
 * The P values are probabilities per request; they are mutually exclusive (at most one per request) and must add
 * up to at most 1.
 *
 * Per-request header (honoured only with `allowFaultHeader`): `X-Posko-Fault: kind[=n][, kind[=n]…]` with kinds
 * latency=MS, 500, 502, 503[=S], 429[=S], drop-before, drop-after, truncate, captive, partial, slow[=MS].
 */

export const FAULT_HEADER = 'x-posko-fault'

export const RATE_KEYS = [
  'error',
  '500',
  '502',
  '503',
  '429',
  'drop',
  'drop-before',
  'drop-after',
  'truncate',
  'captive',
  'partial',
  'slow',
] as const
export type RateKey = (typeof RATE_KEYS)[number]

export interface FaultConfig {
  seed: number
  /** Inclusive range in ms, or null for none. */
  latencyMs: readonly [number, number] | null
  rates: Partial<Record<RateKey, number>>
  retryAfterS: number
  slowMs: number
}

export const DEFAULT_FAULTS: FaultConfig = { seed: 1, latencyMs: null, rates: {}, retryAfterS: 1, slowMs: 2000 }

/** Where in the request's life a fault strikes. */
export type BeforeFault =
  | { kind: 'status'; status: 500 | 502 | 503; retryAfterS: number }
  | { kind: '429'; retryAfterS: number }
  | { kind: 'drop-before' }
  | { kind: 'captive' }
export type DeliveryFault = { kind: 'truncate' } | { kind: 'slow'; slowMs: number }

export interface FaultPlan {
  latencyMs: number
  before: BeforeFault | null
  /** Batch only: reject records at even positions. */
  partial: boolean
  dropAfter: boolean
  delivery: DeliveryFault | null
  /** Names of the faults applied, for logs. Empty when the request goes through untouched. */
  labels: string[]
}

export class FaultSpecError extends Error {
  override name = 'FaultSpecError'
}

const NONE: FaultPlan = { latencyMs: 0, before: null, partial: false, dropAfter: false, delivery: null, labels: [] }

function probability(key: string, value: string): number {
  const p = Number(value)
  if (value.trim() === '' || !Number.isFinite(p) || p < 0 || p > 1) throw new FaultSpecError(`${key}: expected a probability 0–1, got "${value}"`)
  return p
}

function nonNegativeInt(key: string, value: string): number {
  if (!/^\d+$/.test(value)) throw new FaultSpecError(`${key}: expected a whole number ≥ 0, got "${value}"`)
  return Number(value)
}

export function parseFaultSpec(spec: string): FaultConfig {
  const config: FaultConfig = { ...DEFAULT_FAULTS, rates: {} }
  for (const raw of spec.split(',')) {
    const item = raw.trim()
    if (item === '') continue
    const eq = item.indexOf('=')
    if (eq < 0) throw new FaultSpecError(`"${item}": expected key=value`)
    const key = item.slice(0, eq).trim()
    const value = item.slice(eq + 1).trim()
    if (key === 'latency') {
      const m = /^(\d+)(?:-(\d+))?$/.exec(value)
      if (!m) throw new FaultSpecError(`latency: expected MS or MIN-MAX, got "${value}"`)
      const min = Number(m[1])
      const max = m[2] === undefined ? min : Number(m[2])
      if (max < min) throw new FaultSpecError(`latency: ${min}-${max} is an empty range`)
      config.latencyMs = [min, max]
    } else if (key === 'seed') config.seed = nonNegativeInt(key, value)
    else if (key === 'retry-after') config.retryAfterS = nonNegativeInt(key, value)
    else if (key === 'slow-ms') config.slowMs = nonNegativeInt(key, value)
    else if ((RATE_KEYS as readonly string[]).includes(key)) config.rates[key as RateKey] = probability(key, value)
    else throw new FaultSpecError(`unknown fault "${key}" (known: latency, ${RATE_KEYS.join(', ')}, retry-after, slow-ms, seed)`)
  }
  return validateFaults(config)
}

export function validateFaults(config: FaultConfig): FaultConfig {
  const total = Object.values(config.rates).reduce<number>((sum, p) => sum + (p ?? 0), 0)
  // The rates share one draw per request, so they are slices of [0, 1): more than 1 would be silently capped.
  if (total > 1 + 1e-9) throw new FaultSpecError(`fault rates add up to ${total.toFixed(3)}, more than 1`)
  return config
}

function withLabel(plan: FaultPlan, label: string, change: Partial<FaultPlan>): FaultPlan {
  return { ...plan, ...change, labels: [...plan.labels, label] }
}

function applyKind(plan: FaultPlan, kind: string, param: number | null, config: FaultConfig): FaultPlan {
  switch (kind) {
    case 'latency':
      return withLabel(plan, `latency=${param ?? 200}`, { latencyMs: param ?? 200 })
    case '500':
    case '502':
      return withLabel(plan, kind, { before: { kind: 'status', status: Number(kind) as 500 | 502, retryAfterS: 0 } })
    case '503':
      return withLabel(plan, kind, { before: { kind: 'status', status: 503, retryAfterS: param ?? config.retryAfterS } })
    case '429':
      return withLabel(plan, kind, { before: { kind: '429', retryAfterS: param ?? config.retryAfterS } })
    case 'drop-before':
      return withLabel(plan, kind, { before: { kind: 'drop-before' } })
    case 'captive':
      return withLabel(plan, kind, { before: { kind: 'captive' } })
    case 'drop-after':
      return withLabel(plan, kind, { dropAfter: true })
    case 'partial':
      return withLabel(plan, kind, { partial: true })
    case 'truncate':
      return withLabel(plan, kind, { delivery: { kind: 'truncate' } })
    case 'slow':
      return withLabel(plan, kind, { delivery: { kind: 'slow', slowMs: param ?? config.slowMs } })
    default:
      throw new FaultSpecError(`unknown fault kind "${kind}"`)
  }
}

/** Parses an `X-Posko-Fault` header value into a plan; throws FaultSpecError for anything it doesn't know. */
export function planFromHeader(value: string, config: FaultConfig): FaultPlan {
  let plan = NONE
  for (const raw of value.split(',')) {
    const item = raw.trim()
    if (item === '') continue
    const m = /^([a-z0-9-]+)(?:=(\d+))?$/.exec(item)
    if (!m) throw new FaultSpecError(`"${item}": expected kind or kind=number`)
    plan = applyKind(plan, m[1]!, m[2] === undefined ? null : Number(m[2]), config)
  }
  return plan
}

export interface FaultInjector {
  readonly config: FaultConfig
  /** The plan for one request: the header's when given (and allowed), else a draw from the seeded PRNG. */
  plan(header: string | undefined): FaultPlan
}

export function createFaultInjector(config: FaultConfig, allowHeader: boolean): FaultInjector {
  const random = mulberry32(config.seed)
  const rates = RATE_KEYS.map((key) => [key, config.rates[key] ?? 0] as const).filter(([, p]) => p > 0)
  const active = rates.length > 0 || config.latencyMs !== null
  return {
    config,
    plan(header) {
      if (allowHeader && header !== undefined) return planFromHeader(header, config)
      if (!active) return NONE
      // Always three draws, whatever the outcome, so request n sees the same fault in every run with this seed.
      const uLatency = random()
      const uFault = random()
      const uChoice = random()
      let plan = NONE
      if (config.latencyMs) {
        const [min, max] = config.latencyMs
        const ms = Math.round(min + uLatency * (max - min))
        if (ms > 0) plan = withLabel(plan, `latency=${ms}`, { latencyMs: ms })
      }
      let edge = 0
      for (const [key, p] of rates) {
        edge += p
        if (uFault >= edge) continue
        const kind =
          key === 'error' ? (['500', '502', '503'] as const)[Math.min(2, Math.floor(uChoice * 3))]! : key === 'drop' ? (uChoice < 0.5 ? 'drop-before' : 'drop-after') : key
        return applyKind(plan, kind, null, config)
      }
      return plan
    },
  }
}
