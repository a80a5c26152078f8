import { createPublicKey, generateKeyPairSync } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { KioskConfig } from '../../common/config'
import { DomainError } from '../../common/result'
import { createCentralClient } from '../../main/services/central/client'
import { CODE_ALPHABET, generateEnrolmentCode, normaliseEnrolmentCode } from '../../main/services/enrolment/code'
import { keyId, publicKeyToBase64, rawPublicKey } from '../../main/services/security/public-keys'
import { makeValidRecords } from '../central/fixtures'
import { demoCentral, enrolledKiosk, MALANG_POST, SURABAYA_POST, testKiosk } from './bundle-kit'
import { openKiosk } from './helpers'

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  if (!(error instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(error)}`)
  return error
}

describe('enrolment codes', () => {
  it('are 12 characters in groups of four, with no 0/O or 1/I/L, and normalise from what people type', () => {
    for (let i = 0; i < 200; i++) {
      const code = generateEnrolmentCode()
      expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/)
      expect(code).not.toMatch(/[01OIL]/)
      expect(normaliseEnrolmentCode(` ${code.toLowerCase().replace(/-/g, ' ')} `)).toBe(code.replace(/-/g, ''))
    }
    expect(CODE_ALPHABET).toHaveLength(31)
    expect(normaliseEnrolmentCode('ABCD-EFGH-JKM')).toBeNull()
    expect(normaliseEnrolmentCode('ABCD-EFGH-JKM0')).toBeNull()
  })
})

describe('enrolment.status tells how the kiosk sends (issue 19.10)', () => {
  it('a kiosk started with a post token is not enrolled yet but sends: the status says so, so no screen says it cannot', async () => {
    const { kiosk } = openKiosk({ centralToken: 'post-token-from-config' })
    expect(await kiosk.call('enrolment.status')).toMatchObject({ ok: true, value: { enrolled: false, uploadsWith: 'post_token' } })
    const { kiosk: bare } = openKiosk()
    expect(await bare.call('enrolment.status')).toMatchObject({ ok: true, value: { enrolled: false, uploadsWith: null } })
  })
})

describe('enrolment against the reference central', () => {
  it('registers the kiosk key, answers a working token and the bundle key, and writes config.json keeping other fields', async () => {
    const { central } = await demoCentral()
    const kiosk = testKiosk()
    writeFileSync(
      join(kiosk.dataDir, 'config.json'),
      JSON.stringify({ postId: 'OLD-POST', postName: 'Old', centralUrl: 'https://old.example', updateUrl: 'https://updates.example/posko', mode: 'self-service', language: 'en', retentionDays: 30 }),
    )
    const { code } = central.issueEnrolmentCode(SURABAYA_POST)
    // As IT may type it: lower case, spaces instead of dashes, a trailing slash on the URL, a lower-case post code.
    const status = await kiosk.enrolment.enrol({ centralUrl: `${central.url}/`, postId: SURABAYA_POST.toLowerCase(), code: code.toLowerCase().replace(/-/g, ' ') })

    const post = central.posts.find((p) => p.postId === SURABAYA_POST)!
    expect(status).toEqual({ enrolled: true, postId: SURABAYA_POST, postName: post.name, centralUrl: central.url, enrolledAt: expect.any(String), kioskKeyId: expect.stringMatching(/^[0-9a-f]{32}$/) })
    expect(kiosk.enrolment.status()).toEqual(status)

    const credentials = kiosk.enrolment.credentials()!
    expect(credentials).toMatchObject({ postId: SURABAYA_POST, centralUrl: central.url, kioskKeyId: status.kioskKeyId })
    expect(rawPublicKey(credentials.centralPublicKey)).toEqual(rawPublicKey(central.bundlePublicKey))
    // Central holds the kiosk's public key under the id the kiosk reports.
    const row = central.db.prepare('SELECT post_id, public_key, kiosk_version FROM kiosks WHERE key_id = ?').get(status.kioskKeyId) as {
      post_id: string
      public_key: Buffer
      kiosk_version: string
    }
    expect(row).toEqual({ post_id: SURABAYA_POST, public_key: rawPublicKey(createPublicKey(credentials.kioskSigningKey)), kiosk_version: '9.9.9' })
    expect(keyId(createPublicKey(credentials.kioskSigningKey))).toBe(status.kioskKeyId)

    // The token authenticates as the post: a batch goes through, and only for that post.
    const client = createCentralClient({ baseUrl: credentials.centralUrl, token: credentials.token })
    const [record] = makeValidRecords(1, SURABAYA_POST)
    const sent = await client.postBatch({ postId: SURABAYA_POST, batchId: crypto.randomUUID(), records: [record!] })
    expect(sent.ok && sent.value.results[0]).toMatchObject({ status: 'accepted' })
    const foreign = await client.postBatch({ postId: MALANG_POST, batchId: crypto.randomUUID(), records: makeValidRecords(1, MALANG_POST) })
    expect(foreign).toEqual({ ok: false, failure: { kind: 'auth', status: 403 } })

    // Exactly what IT had set, with the new post; no defaults written out.
    const config: unknown = JSON.parse(readFileSync(join(kiosk.dataDir, 'config.json'), 'utf8'))
    expect(config).toEqual({
      postId: SURABAYA_POST,
      postName: post.name,
      centralUrl: central.url,
      updateUrl: 'https://updates.example/posko',
      mode: 'self-service',
      language: 'en',
      retentionDays: 30,
    })
    expect(KioskConfig.safeParse(config).success).toBe(true)
    expect(readdirSync(kiosk.dataDir).filter((f) => f.endsWith('.tmp'))).toEqual([])

    // A restart: a new service over the same database opens the same secrets.
    const again = testKiosk({ dataDir: kiosk.dataDir }).enrolment.credentials()!
    expect(again.token).toBe(credentials.token)
    expect(again.kioskSigningKey.export({ format: 'jwk' })).toEqual(credentials.kioskSigningKey.export({ format: 'jwk' }))
    expect(kiosk.audit.list({ action: 'settings_change' })).toHaveLength(1)
  })

  it('without a config.json, writes one with the enrolled post and only the running settings that differ from the defaults', async () => {
    const { central } = await demoCentral()
    const running = KioskConfig.parse({ postId: 'OLD-POST', postName: 'Old', centralUrl: 'https://old.example', language: 'en' })
    const kiosk = testKiosk({ config: running })
    await kiosk.enrolment.enrol({ centralUrl: central.url, postId: MALANG_POST, code: central.issueEnrolmentCode(MALANG_POST).code })
    const post = central.posts.find((p) => p.postId === MALANG_POST)!
    expect(JSON.parse(readFileSync(join(kiosk.dataDir, 'config.json'), 'utf8'))).toEqual({ postId: MALANG_POST, postName: post.name, centralUrl: central.url, language: 'en' })
  })

  it('refuses a wrong, a used, an expired and another post\'s code with forbidden, and leaves the kiosk unenrolled', async () => {
    const { central } = await demoCentral()
    const wrong = testKiosk()
    const used = central.issueEnrolmentCode(SURABAYA_POST).code
    await testKiosk().enrolment.enrol({ centralUrl: central.url, postId: SURABAYA_POST, code: used })
    const expired = central.issueEnrolmentCode(SURABAYA_POST, { now: new Date(Date.now() - 8 * 86_400_000) }).code
    const malang = central.issueEnrolmentCode(MALANG_POST).code

    const attempts = [
      { postId: SURABAYA_POST, code: 'ABCD-EFGH-JKMN' },
      { postId: SURABAYA_POST, code: used },
      { postId: SURABAYA_POST, code: expired },
      { postId: SURABAYA_POST, code: malang },
      { postId: 'JT-0000-99', code: malang },
    ]
    for (const attempt of attempts) {
      const error = await refusal(wrong.enrolment.enrol({ centralUrl: central.url, ...attempt }))
      expect({ attempt, code: error.code, reason: error.details?.reason }).toEqual({ attempt, code: 'forbidden', reason: 'code_refused' })
    }
    expect(wrong.enrolment.status().enrolled).toBe(false)
    expect(wrong.enrolment.credentials()).toBeNull()
    expect(existsSync(join(wrong.dataDir, 'config.json'))).toBe(false)
    // The refused Malang code is still good for a Malang kiosk.
    expect((await testKiosk().enrolment.enrol({ centralUrl: central.url, postId: MALANG_POST, code: malang })).enrolled).toBe(true)
  })

  it('refuses a badly typed code, post or URL before calling central', async () => {
    const fetchSpy = vi.fn<typeof fetch>()
    const kiosk = testKiosk({ fetch: fetchSpy })
    const cases = [
      [{ centralUrl: 'http://127.0.0.1:9', postId: SURABAYA_POST, code: 'ABCD-EFGH-JKM' }, 'code'],
      [{ centralUrl: 'http://127.0.0.1:9', postId: SURABAYA_POST, code: 'ABCD-EFGH-JKM0' }, 'code'],
      [{ centralUrl: 'http://127.0.0.1:9', postId: 'surabaya 1', code: 'ABCD-EFGH-JKMN' }, 'postId'],
      [{ centralUrl: 'ftp://central.example', postId: SURABAYA_POST, code: 'ABCD-EFGH-JKMN' }, 'centralUrl'],
      [{ centralUrl: 'https://it:secret@central.example', postId: SURABAYA_POST, code: 'ABCD-EFGH-JKMN' }, 'centralUrl'],
      // NIKs, photos and the bearer token never cross a network in clear: http only to this machine.
      [{ centralUrl: 'http://central.example', postId: SURABAYA_POST, code: 'ABCD-EFGH-JKMN' }, 'centralUrl'],
      [{ centralUrl: 'http://10.0.0.5:8787', postId: SURABAYA_POST, code: 'ABCD-EFGH-JKMN' }, 'centralUrl'],
    ] as const
    for (const [input, field] of cases) {
      const error = await refusal(kiosk.enrolment.enrol(input))
      expect({ field, code: error.code, detail: error.details?.field }).toEqual({ field, code: 'invalid_input', detail: field })
    }
    expect(fetchSpy).not.toHaveBeenCalled()
  })

  it('a kiosk enrolled over plain http to a network host (before that was refused) hands out no credentials', async () => {
    const { central } = await demoCentral()
    const enrolled = await enrolledKiosk(central, SURABAYA_POST)
    expect(enrolled.enrolment.credentials()).not.toBeNull()
    const stored = JSON.parse(enrolled.settings.get('enrolment')!) as { centralUrl: string }
    enrolled.settings.set('enrolment', JSON.stringify({ ...stored, centralUrl: 'http://central.example.go.id' }), new Date())
    const reopened = testKiosk({ dataDir: enrolled.dataDir })
    expect(reopened.enrolment.credentials()).toBeNull()
    expect(reopened.logger.entries.some((e) => e.level === 'error' && /not https/.test(e.message))).toBe(true)
  })

  it('says unavailable when central is unreachable or answers something else, and a lost answer can be retried with the same code', async () => {
    const down = await refusal(testKiosk().enrolment.enrol({ centralUrl: 'http://127.0.0.1:9', postId: SURABAYA_POST, code: 'ABCD-EFGH-JKMN' }))
    expect([down.code, down.details?.reason]).toEqual(['unavailable', 'network'])

    const { central } = await demoCentral()
    const captive = testKiosk({ fetch: (input, init) => fetch(input, { ...init, headers: { ...init?.headers, 'x-posko-fault': 'captive' } }) })
    const portal = await refusal(captive.enrolment.enrol({ centralUrl: central.url, postId: SURABAYA_POST, code: central.issueEnrolmentCode(SURABAYA_POST).code }))
    expect([portal.code, portal.details?.reason]).toEqual(['unavailable', 'bad_answer'])

    // Central enrols the kiosk and the connection drops before the answer arrives; the retry gets a token.
    let drop = true
    const flaky = testKiosk({
      fetch: (input, init) => {
        const headers = drop ? { ...init?.headers, 'x-posko-fault': 'drop-after' } : init?.headers
        drop = false
        return fetch(input, { ...init, headers })
      },
    })
    const code = central.issueEnrolmentCode(SURABAYA_POST).code
    const lost = await refusal(flaky.enrolment.enrol({ centralUrl: central.url, postId: SURABAYA_POST, code }))
    expect(lost.code).toBe('unavailable')
    const status = await flaky.enrolment.enrol({ centralUrl: central.url, postId: SURABAYA_POST, code })
    expect(status.enrolled).toBe(true)
    expect(central.db.prepare('SELECT count(*) AS n FROM kiosks WHERE key_id = ?').get(status.kioskKeyId)).toEqual({ n: 1 })
    const client = createCentralClient({ baseUrl: central.url, token: flaky.enrolment.credentials()!.token })
    const sent = await client.postBatch({ postId: SURABAYA_POST, batchId: crypto.randomUUID(), records: makeValidRecords(1, SURABAYA_POST) })
    expect(sent.ok).toBe(true)
  })

  it('will not move a kiosk with queued records to another post', async () => {
    const { central } = await demoCentral()
    const kiosk = await enrolledKiosk(central, SURABAYA_POST)
    kiosk.queue(makeValidRecords(2, SURABAYA_POST))
    const error = await refusal(kiosk.enrolment.enrol({ centralUrl: central.url, postId: MALANG_POST, code: central.issueEnrolmentCode(MALANG_POST).code }))
    expect([error.code, error.details?.reason]).toEqual(['conflict', 'queue_not_empty'])
    // The same post is fine: a new key and token, the queue stays where it belongs.
    const again = await kiosk.enrolment.enrol({ centralUrl: central.url, postId: SURABAYA_POST, code: central.issueEnrolmentCode(SURABAYA_POST).code })
    expect(again.postId).toBe(SURABAYA_POST)
  })
})

describe('enrolment secrets on disk', () => {
  /** Every file in the data folder: the database, its WAL and shared memory, config.json, the vault key file. */
  function findIn(dataDir: string, needles: ReadonlyArray<[string, Buffer]>): string[] {
    const found: string[] = []
    for (const name of readdirSync(dataDir)) {
      if (name === 'vault.key') continue
      const bytes = readFileSync(join(dataDir, name))
      for (const [label, needle] of needles) if (bytes.includes(needle)) found.push(`${name}: ${label}`)
    }
    return found
  }

  it('the token and the kiosk private key are never in the clear in the db, -wal, -shm or config.json', async () => {
    const { central } = await demoCentral()
    const kiosk = await enrolledKiosk(central, SURABAYA_POST)
    const { token, kioskSigningKey } = kiosk.enrolment.credentials()!
    const seed = Buffer.from(kioskSigningKey.export({ format: 'jwk' }).d!, 'base64url')
    const pkcs8 = kioskSigningKey.export({ format: 'der', type: 'pkcs8' })
    const secrets: Array<[string, Buffer]> = [
      ['token', Buffer.from(token)],
      ['token utf16', Buffer.from(token, 'utf16le')],
      ['private key seed', seed],
      ['private key seed base64', Buffer.from(seed.toString('base64'))],
      ['private key seed base64url', Buffer.from(seed.toString('base64url'))],
      ['private key pkcs8', pkcs8],
      ['private key pkcs8 base64', Buffer.from(pkcs8.toString('base64'))],
    ]
    expect(readdirSync(kiosk.dataDir)).toEqual(expect.arrayContaining(['posko.db', 'posko.db-wal', 'config.json']))
    expect(findIn(kiosk.dataDir, secrets)).toEqual([])
    kiosk.connection.pragma('wal_checkpoint(TRUNCATE)')
    expect(findIn(kiosk.dataDir, secrets)).toEqual([])
    // The scan can fail: the public key id is stored in the clear, and is found.
    expect(findIn(kiosk.dataDir, [['key id', Buffer.from(kiosk.enrolment.status().kioskKeyId!)]])).not.toEqual([])
  })

  it('central keeps only hashes of codes and tokens, and its bundle key file is 0600', async () => {
    const { central, dataDir } = await demoCentral()
    const { code } = central.issueEnrolmentCode(SURABAYA_POST)
    const kiosk = testKiosk()
    await kiosk.enrolment.enrol({ centralUrl: central.url, postId: SURABAYA_POST, code })
    const { token } = kiosk.enrolment.credentials()!
    central.db.pragma('wal_checkpoint(TRUNCATE)')
    const db = readFileSync(join(dataDir, 'central.sqlite'))
    expect(db.includes(Buffer.from(token))).toBe(false)
    expect(db.includes(Buffer.from(code.replace(/-/g, '')))).toBe(false)
    expect(db.includes(Buffer.from(code))).toBe(false)
    if (process.platform !== 'win32') expect(statSync(join(dataDir, 'bundle-key.pem')).mode & 0o777).toBe(0o600)
  })
})

describe('central: POST /v1/enrol', () => {
  const post = (url: string, body: unknown, contentType = 'application/json') =>
    fetch(`${url}/v1/enrol`, { method: 'POST', headers: { 'content-type': contentType }, body: typeof body === 'string' ? body : JSON.stringify(body) })
  const kioskKey = () => generateKeyPairSync('ed25519').publicKey

  it('answers 400 for a bad body or key, 403 for a bad code, 409 for a key enrolled before, 415 for non-JSON; none of them uses the code', async () => {
    const { central } = await demoCentral()
    const { code } = central.issueEnrolmentCode(SURABAYA_POST)
    const good = { postId: SURABAYA_POST, code, kioskPublicKey: publicKeyToBase64(kioskKey()), kioskVersion: '1.0.0' }
    const errorOf = async (res: Response) => [res.status, ((await res.json()) as { error: { code: string } }).error.code]

    expect(await errorOf(await post(central.url, { ...good, extra: 1 }))).toEqual([400, 'invalid_body'])
    expect(await errorOf(await post(central.url, '{'))).toEqual([400, 'invalid_json'])
    expect(await errorOf(await post(central.url, good, 'text/plain'))).toEqual([415, 'unsupported_media_type'])
    const x25519 = generateKeyPairSync('x25519').publicKey
    expect(await errorOf(await post(central.url, { ...good, kioskPublicKey: publicKeyToBase64(x25519) }))).toEqual([400, 'invalid_key'])
    expect(await errorOf(await post(central.url, { ...good, code: 'ABCD-EFGH-JKMN' }))).toEqual([403, 'enrolment_refused'])

    // The raw 32-byte form of the key is accepted too.
    const key = kioskKey()
    const first = await post(central.url, { ...good, kioskPublicKey: rawPublicKey(key).toString('base64') })
    expect(first.status).toBe(200)
    expect(await first.json()).toMatchObject({ postId: SURABAYA_POST, kioskKeyId: keyId(key), centralPublicKey: publicKeyToBase64(central.bundlePublicKey) })
    // A second code with the same key: the key is someone's already.
    const second = central.issueEnrolmentCode(SURABAYA_POST).code
    expect(await errorOf(await post(central.url, { ...good, code: second, kioskPublicKey: publicKeyToBase64(key) }))).toEqual([409, 'key_already_enrolled'])
    // The same code with another key: spent.
    expect(await errorOf(await post(central.url, good))).toEqual([403, 'enrolment_refused'])
    expect((await post(central.url, { ...good, code: second })).status).toBe(200)
  })
})
