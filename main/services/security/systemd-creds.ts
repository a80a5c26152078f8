import { spawnSync } from 'node:child_process'

/**
 * Sealing to the machine's TPM2 chip through systemd-creds (systemd ≥ 250), for Linux posts without a desktop
 * keyring: the sealed key opens only on this machine's TPM. Main passes these to createSealedKeyProvider('tpm').
 */
const NAME = 'posko-vault'
const TIMEOUT_MS = 30_000

/** `systemd-creds has-tpm2` exits 0 only when a usable TPM2 chip and the kernel support are there. */
export function tpm2Available(): boolean {
  try {
    const result = spawnSync('systemd-creds', ['has-tpm2'], { stdio: 'ignore', timeout: TIMEOUT_MS })
    return result.status === 0
  } catch {
    return false
  }
}

export const tpm2Sealer = {
  encrypt(plain: string): Buffer {
    return credsRun(['encrypt', '--with-key=tpm2', `--name=${NAME}`, '-', '-'], Buffer.from(plain, 'utf8'))
  },
  decrypt(sealed: Buffer): string {
    return credsRun(['decrypt', `--name=${NAME}`, '-', '-'], sealed).toString('utf8')
  },
}

function credsRun(args: string[], input: Buffer): Buffer {
  const result = spawnSync('systemd-creds', args, { input, timeout: TIMEOUT_MS, maxBuffer: 1024 * 1024 })
  if (result.error) throw result.error
  if (result.status !== 0) throw new Error(`systemd-creds ${args[0]} failed (${result.status}): ${result.stderr.toString('utf8').trim().slice(0, 200)}`)
  return result.stdout
}
