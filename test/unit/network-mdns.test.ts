import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { bundleChild } from './crash/bundle'

/**
 * Issue 21.2: DNS-SD for real. The two desks run in a child process inside a network namespace of its own (unshare -n,
 * root only) whose loopback is given multicast and the mDNS route, so the test touches no network of the machine's
 * and needs no configured address: the desks find each other by `_posko._tcp` alone. Where the machine forbids
 * namespaces (not root, no CAP_SYS_ADMIN, no `ip`), the test is skipped with that reason; the typed peer list and
 * configured addresses are tested everywhere (network-mesh.test.ts).
 */
const NAMESPACE = 'ip link set lo up && ip link set lo multicast on && ip route add 224.0.0.0/4 dev lo'
const probe = spawnSync('unshare', ['-n', 'sh', '-c', NAMESPACE], { encoding: 'utf8' })
const forbidden = probe.error ? probe.error.message : probe.status !== 0 ? probe.stderr.trim() || `exit ${probe.status}` : null

describe('DNS-SD discovery', () => {
  it.skipIf(forbidden !== null)(`desks find each other by mDNS alone, time out and come back${forbidden ? ` (skipped: ${forbidden})` : ''}`, async () => {
    const child = await bundleChild('test/unit/crash/mdns-desks.ts')
    const run = spawnSync('unshare', ['-n', 'sh', '-c', `${NAMESPACE} && exec "${process.execPath}" "${child}"`], { encoding: 'utf8', timeout: 60_000 })
    expect(run.status, run.stderr).toBe(0)
    expect(JSON.parse(run.stdout.trim().split('\n').at(-1)!)).toEqual({ found: true, source: 'mdns', gone: true, back: true })
  }, 70_000)
})
