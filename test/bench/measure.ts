import { performance } from 'node:perf_hooks'

export interface Figure {
  name: string
  value: string
  goal?: string
  met?: boolean
}

export interface BenchSection {
  title: string
  notes?: string
  figures: Figure[]
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  return sorted[Math.max(0, index)]!
}

/** Times `fn` n times after a warm-up; returns per-call durations in ms, sorted. */
export async function sample(n: number, fn: (i: number) => unknown, warmup = Math.min(200, n)): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn(i)
  const times: number[] = []
  for (let i = 0; i < n; i++) {
    const t0 = performance.now()
    await fn(i)
    times.push(performance.now() - t0)
  }
  return times.sort((a, b) => a - b)
}

export const ms = (value: number) => `${value < 0.1 ? value.toFixed(4) : value.toFixed(2)} ms`
