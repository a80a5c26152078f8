import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ENROL_PATH } from '../../main/services/enrolment/wire'
import { certificateSha256, checkTlsCertificate, createTlsIdentity } from '../../main/services/security/tls-identity'
import { runCentralCommand } from '../central/commands'
import { MALANG, SURABAYA } from '../central/testkit'
import { testKiosk } from './bundle-kit'
import { openKiosk, testCentral } from './helpers'

/**
 * Issue 21.1, trust from central: at enrolment a kiosk makes its TLS identity and registers its certificate; central
 * answers the post's roster and the post key sealed to the kiosk; heartbeats refresh the roster (revocations) and
 * register the certificate of a kiosk enrolled before the post network. Real central, real kiosks, real SQLite.
 */
async function enrolled(central: { url: string; issueEnrolmentCode(postId: string): { code: string } }, postId = SURABAYA.postId) {
  const first = openKiosk({ config: { postId }, role: 'it' })
  const result = await first.kiosk.call('enrolment.enrol', { centralUrl: central.url, postId, code: central.issueEnrolmentCode(postId).code })
  expect(result).toMatchObject({ ok: true })
  // The app restarts after enrolment (its central and token are read at start), so the test does too.
  first.close()
  return openKiosk({ dataDir: first.dataDir, config: { postId }, role: 'it' })
}

describe('post network trust from central', () => {
  it('enrolment registers the certificate; the roster lists the post\'s desks and every desk opens the same post key', async () => {
    const { central } = await testCentral()
    const a = await enrolled(central)
    const idA = await a.kiosk.postTrust.identity()
    expect(checkTlsCertificate(idA.certificate, new Date()).ok).toBe(true)
    const kioskA = a.kiosk.call('enrolment.status')
    const statusA = (await kioskA) as { ok: true; value: { kioskKeyId: string } }
    expect(a.kiosk.postTrust.roster()?.kiosks).toEqual([{ kioskId: statusA.value.kioskKeyId, name: 'Meja 1', certSha256: idA.certSha256, revoked: false }])
    expect(a.kiosk.postTrust.registered()).toBe(true)

    const b = await enrolled(central)
    const idB = await b.kiosk.postTrust.identity()
    expect(b.kiosk.postTrust.roster()?.kiosks.map((k) => [k.name, k.certSha256])).toEqual([
      ['Meja 1', idA.certSha256],
      ['Meja 2', idB.certSha256],
    ])
    // A hears of B at its next heartbeat.
    expect(await a.kiosk.heartbeat.send()).toMatchObject({ ok: true })
    expect(a.kiosk.postTrust.roster()?.kiosks.map((k) => k.certSha256)).toEqual([idA.certSha256, idB.certSha256])

    const keyA = a.kiosk.postTrust.postKey()!
    expect(keyA).toHaveLength(32)
    expect(b.kiosk.postTrust.postKey()).toEqual(keyA)
    const atCentral = central.db.prepare('SELECT key FROM post_keys WHERE post_id = ?').get(SURABAYA.postId) as { key: Buffer }
    expect(atCentral.key).toEqual(keyA)

    // Another post's desk has another key and a roster of its own.
    const m = await enrolled(central, MALANG.postId)
    expect(m.kiosk.postTrust.postKey()).not.toEqual(keyA)
    expect(m.kiosk.postTrust.roster()?.kiosks).toHaveLength(1)

    // Nothing secret in the clear on disk: neither the post key nor the TLS private key's bytes are in the database.
    a.close()
    const file = readFileSync(join(a.dataDir, 'posko.db'))
    const wal = readFileSync(join(a.dataDir, 'posko.db-wal'), { flag: 'a+' })
    const tlsKey = idA.privateKey.export({ format: 'der', type: 'pkcs8' })
    for (const bytes of [file, wal]) {
      expect(bytes.includes(keyA)).toBe(false)
      expect(bytes.includes(tlsKey.subarray(-32))).toBe(false)
    }
    // …and the identity survives a restart unchanged.
    const again = openKiosk({ dataDir: a.dataDir, config: { postId: SURABAYA.postId } })
    expect((await again.kiosk.postTrust.identity()).certSha256).toBe(idA.certSha256)
    expect(again.kiosk.postTrust.postKey()).toEqual(keyA)
  })

  it('a revocation reaches the other desks at their next heartbeat', async () => {
    const { central, dataDir } = await testCentral()
    const a = await enrolled(central)
    const b = await enrolled(central)
    const bId = ((await b.kiosk.call('enrolment.status')) as { ok: true; value: { kioskKeyId: string } }).value.kioskKeyId
    expect(await a.kiosk.heartbeat.send()).toMatchObject({ ok: true })
    const out: string[] = []
    expect(await runCentralCommand('revoke', [bId, '--data', dataDir], { write: (t: string) => out.push(t) }, { write: () => 0 })).toBe(0)
    expect(a.kiosk.postTrust.roster()?.kiosks.find((k) => k.kioskId === bId)?.revoked).toBe(false)
    expect(await a.kiosk.heartbeat.send()).toMatchObject({ ok: true })
    expect(a.kiosk.postTrust.roster()?.kiosks.find((k) => k.kioskId === bId)?.revoked).toBe(true)
    // The revoked desk itself hears nothing more: its token is refused.
    expect(await b.kiosk.heartbeat.send()).toMatchObject({ ok: false, reason: 'auth' })
  })

  it('a kiosk enrolled before the post network registers its certificate with its next heartbeat, once', async () => {
    const { central } = await testCentral()
    // Enrolled by a kiosk without the post network (no certificate in its request).
    const old = testKiosk()
    await old.enrolment.enrol({ centralUrl: central.url, postId: SURABAYA.postId, code: central.issueEnrolmentCode(SURABAYA.postId).code })
    const keyId = old.enrolment.status().kioskKeyId!
    expect(central.db.prepare('SELECT tls_cert_sha256 FROM kiosks WHERE key_id = ?').get(keyId)).toEqual({ tls_cert_sha256: null })

    const upgraded = openKiosk({ dataDir: old.dataDir, config: { postId: SURABAYA.postId } })
    expect(upgraded.kiosk.postTrust.registered()).toBe(false)
    expect(await upgraded.kiosk.heartbeat.send()).toMatchObject({ ok: true })
    const id = await upgraded.kiosk.postTrust.identity()
    expect(central.db.prepare('SELECT tls_cert_sha256 FROM kiosks WHERE key_id = ?').get(keyId)).toEqual({ tls_cert_sha256: id.certSha256 })
    expect(upgraded.kiosk.postTrust.registered()).toBe(true)
    expect(upgraded.kiosk.postTrust.postKey()).toHaveLength(32)

    // A token alone cannot swap the kiosk's identity: a second certificate is ignored.
    const other = await createTlsIdentity('x', new Date())
    const { token: bearer } = old.enrolment.credentials()!
    const res = await fetch(`${central.url}/v1/posts/${SURABAYA.postId}/heartbeat`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        version: '9.9.9',
        sentAt: new Date().toISOString(),
        queue: { queued: 0, uploading: 0, accepted: 0, duplicate: 0, rejected: 0, exported: 0, purged: 0 },
        uploadStatus: 'idle',
        lastSyncAt: null,
        diskFreeBytes: null,
        lastError: null,
        tlsCertificate: other.certificate.toString('base64'),
        boxPublicKey: (await upgraded.kiosk.postTrust.registration()).boxPublicKey,
      }),
    })
    expect(res.status, await res.clone().text()).toBe(200)
    const answer = (await res.json()) as { roster: { kiosks: Array<{ certSha256: string }> } }
    expect(answer.roster.kiosks.map((k) => k.certSha256)).toEqual([id.certSha256])
    expect(answer.roster.kiosks.map((k) => k.certSha256)).not.toContain(certificateSha256(other.certificate))
  })

  it('central refuses a certificate that is not a self-signed P-256 one, and nothing is enrolled', async () => {
    const { central } = await testCentral()
    const good = await enrolled(central)
    const registration = await good.kiosk.postTrust.registration()
    const send = (tlsCertificate: string) =>
      fetch(`${central.url}${ENROL_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          postId: SURABAYA.postId,
          code: central.issueEnrolmentCode(SURABAYA.postId).code,
          kioskPublicKey: 'MCowBQYDK2VwAyEA' + Buffer.alloc(32, 7).toString('base64'),
          kioskVersion: '9.9.9',
          tlsCertificate,
          boxPublicKey: registration.boxPublicKey,
        }),
      })
    const garbled = Buffer.from(registration.tlsCertificate, 'base64')
    garbled[garbled.length - 10]! ^= 0xff
    for (const bad of [Buffer.alloc(300, 1).toString('base64'), garbled.toString('base64')]) {
      const res = await send(bad)
      expect(res.status).toBe(400)
      expect(await res.json()).toMatchObject({ error: { code: 'invalid_certificate' } })
    }
    expect(central.db.prepare('SELECT count(*) AS n FROM kiosks').get()).toEqual({ n: 1 })
  })

  it('a kiosk keeps no roster for another post, nor one older than it holds', async () => {
    const { central } = await testCentral()
    const a = await enrolled(central)
    const held = a.kiosk.postTrust.roster()!
    a.kiosk.postTrust.accept(SURABAYA.postId, { postId: MALANG.postId, issuedAt: new Date().toISOString(), kiosks: [], sealedPostKey: null })
    a.kiosk.postTrust.accept(SURABAYA.postId, { postId: SURABAYA.postId, issuedAt: '2020-01-01T00:00:00.000Z', kiosks: [], sealedPostKey: null })
    expect(a.kiosk.postTrust.roster()).toEqual(held)
    expect(a.logger.entries.filter((e) => e.level === 'warn').map((e) => e.message)).toEqual(
      expect.arrayContaining(['network: refused a roster for another post', 'network: refused a roster older than the one held']),
    )
  })
})
