import { mkdirSync, readFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { writeFileDurable } from '../platform/durable-file'

/**
 * What main does when something dies (issue 9, operations), as pure decisions main/index.ts applies. A kiosk has no
 * one to click "restart", so it restarts itself, but not in a loop: a crash loop would hide the error on a blank
 * screen and hammer the disk, so after a few quick crashes it stays down with the error shown for IT.
 */
export interface RestartPolicy {
  maxRestarts: number
  windowMs: number
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = { maxRestarts: 3, windowMs: 10 * 60_000 }

/** `history`: earlier crash times (ms). Returns whether to relaunch and the history to keep. */
export function decideCrashRestart(history: readonly number[], now: number, policy: RestartPolicy = DEFAULT_RESTART_POLICY): { restart: boolean; history: number[] } {
  const recent = history.filter((t) => Number.isFinite(t) && t <= now && now - t < policy.windowMs)
  const next = [...recent, now]
  return { restart: recent.length < policy.maxRestarts, history: next }
}

/** Crash times survive the relaunch in a small JSON file; unreadable means none (never a reason not to start). */
export function readCrashHistory(file: string): number[] {
  try {
    const value: unknown = JSON.parse(readFileSync(file, 'utf8'))
    return Array.isArray(value) ? value.filter((t): t is number => typeof t === 'number').slice(-20) : []
  } catch {
    return []
  }
}

export function writeCrashHistory(file: string, history: readonly number[]): void {
  mkdirSync(dirname(file), { recursive: true })
  writeFileDurable(file, JSON.stringify(history.slice(-20)))
}

export type RendererGoneAction = { action: 'reload'; delayMs: number; recent: number[] } | { action: 'ignore'; recent: number[] }

/**
 * After `render-process-gone`: load the start screen again. A draft in self-service mode is lost with the renderer
 * (it is never stored); assisted drafts come back if the renderer kept them. Repeated crashes back off so a page that
 * crashes on load doesn't spin the CPU.
 */
export function decideRendererGone(reason: string, recent: readonly number[], now: number): RendererGoneAction {
  const window = recent.filter((t) => now - t < 5 * 60_000)
  if (reason === 'clean-exit') return { action: 'ignore', recent: window }
  const next = [...window, now]
  return { action: 'reload', delayMs: next.length > 3 ? 30_000 : 0, recent: next }
}
