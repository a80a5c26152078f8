import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { importBundle, scanBundleFile } from './bundles'
import { CODE_TTL_MS, issueEnrolmentCode } from './enrolment'
import { HttpError } from './http'
import { loadOrCreateCentralKeys } from './keys'
import { postsPath, readPosts } from './posts'
import { DEFAULT_LIMITS } from './routes'
import { openCentralStore } from './store'

/**
 * The IT commands beside the server (`npm run central -- <command>`). They open the data folder directly, so they
 * work whether or not a server is running on it (SQLite WAL lets both write).
 */
export const COMMANDS_USAGE = [
  'usage: npm run central -- enrol <postId> [--data .posko-dev/central] [--days 7]',
  '       npm run central -- import <file.pkb> [--data .posko-dev/central]',
  '       npm run central -- revoke <kioskKeyId> [--data .posko-dev/central]',
].join('\n')

interface Output {
  write(text: string): unknown
}

export type CentralCommand = 'enrol' | 'import' | 'revoke'

export function isCentralCommand(name: string | undefined): name is CentralCommand {
  return name === 'enrol' || name === 'import' || name === 'revoke'
}

export async function runCentralCommand(name: CentralCommand, args: string[], out: Output = process.stdout, err: Output = process.stderr): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { data: { type: 'string', default: '.posko-dev/central' }, days: { type: 'string', default: String(CODE_TTL_MS / 86_400_000) } },
    })
  } catch (error) {
    err.write(`${(error as Error).message}\n${COMMANDS_USAGE}\n`)
    return 2
  }
  const { values, positionals } = parsed
  if (positionals.length !== 1) {
    err.write(`${COMMANDS_USAGE}\n`)
    return 2
  }
  const dataDir = resolve(values.data)
  if (name === 'revoke') return revoke(dataDir, positionals[0]!, out, err)
  return name === 'enrol' ? enrol(dataDir, positionals[0]!, Number(values.days), out, err) : importFile(dataDir, resolve(positionals[0]!), out, err)
}

/**
 * Revokes an enrolled kiosk (a stolen kiosk, one probing NIKs): its token gets 401 from the next request on (the
 * server reads the kiosks table on every request) and its key no longer verifies bundles. Posts.json tokens are
 * not kiosks: IT changes those in posts.json. There is no un-revoke: the kiosk enrols again with a new key.
 */
function revoke(dataDir: string, keyId: string, out: Output, err: Output): number {
  const store = openCentralStore(dataDir)
  try {
    const kiosk = store.kiosk(keyId)
    if (!kiosk) {
      err.write(`central: no enrolled kiosk with key id ${keyId} (the fleet page lists them)\n`)
      return 1
    }
    if (kiosk.revokedAt !== null) {
      out.write(`Kiosk ${keyId} (post ${kiosk.postId}) was already revoked at ${kiosk.revokedAt}.\n`)
      return 0
    }
    store.revokeKioskAudited(keyId, new Date().toISOString(), 'cli')
    out.write(`Revoked kiosk ${keyId} (post ${kiosk.postId}): its token is refused, its bundles are no longer accepted, and its post's other desks refuse it from their next heartbeat (the roster marks it revoked).\n`)
    return 0
  } finally {
    store.close()
  }
}

function enrol(dataDir: string, postId: string, days: number, out: Output, err: Output): number {
  if (!Number.isFinite(days) || days <= 0 || days > 30) {
    err.write('--days: 1–30\n')
    return 2
  }
  const posts = readPosts(dataDir)
  const post = posts?.find((p) => p.postId === postId)
  if (!post) {
    err.write(`central: no post ${postId} in ${postsPath(dataDir)}\n`)
    return 1
  }
  const store = openCentralStore(dataDir)
  try {
    // Created now rather than at the first server start, so the key exists before any kiosk is told about it.
    loadOrCreateCentralKeys(dataDir)
    const issued = issueEnrolmentCode(store, post, { ttlMs: days * 86_400_000 })
    out.write(
      `Enrolment code for ${post.postId} (${post.name}):\n\n    ${issued.code}\n\n` +
        `Valid once, until ${issued.expiresAt}. On the kiosk enter central's URL, post code ${post.postId} and this code.\n`,
    )
    return 0
  } finally {
    store.close()
  }
}

async function importFile(dataDir: string, file: string, out: Output, err: Output): Promise<number> {
  const store = openCentralStore(dataDir)
  try {
    // Read in place, a megabyte at a time: a bundle of a whole post's photos is never in memory (bundles.ts).
    const bundle = await scanBundleFile(file)
    const outcome = importBundle(store, loadOrCreateCentralKeys(dataDir), bundle, {
      importedBy: 'cli',
      now: new Date().toISOString(),
      maxPhotoBytes: DEFAULT_LIMITS.maxPhotoBytes,
    })
    out.write(`${outcome.replayed ? 'Already imported; the earlier answer' : 'Imported'}: ${outcome.answer.toString('utf8')}\n`)
    return 0
  } catch (error) {
    if (error instanceof HttpError) {
      err.write(`central: bundle refused (${error.status} ${error.code}${error.details?.reason ? `: ${error.details.reason}` : ''}): ${error.message}\n`)
      return 1
    }
    if ((error as NodeJS.ErrnoException).code !== undefined && (error as NodeJS.ErrnoException).syscall !== undefined) {
      err.write(`central: cannot read ${file}: ${(error as Error).message}\n`)
      return 1
    }
    throw error
  } finally {
    store.close()
  }
}
