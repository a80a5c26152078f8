import type { UpdateState } from '../../../../common/operations'

/**
 * electron-updater's error codes (docs/updates.md, "Error codes IT will see") grouped by what the person reading
 * can do about them. The code itself is shown beside the words: it is what IT looks up.
 */
const ERROR_KINDS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^(ENOTFOUND|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN|ENETUNREACH|EHOSTUNREACH|ERR_NETWORK.*)$/, 'network'],
  [/^ERR_UPDATER_CHANNEL_FILE_NOT_FOUND$/, 'feed_missing'],
  [/^ERR_UPDATER_INVALID_UPDATE_INFO$/, 'feed_invalid'],
  [/^ERR_CHECKSUM_MISMATCH$/, 'checksum'],
  [/^ERR_UPDATER_INVALID_SIGNATURE$/, 'signature'],
  [/^ERR_UPDATER_INSTALL/, 'install'],
]

/** The i18n key for an update error code: updates.error.<kind>, or the general sentence. */
export function updateErrorKey(code: string): string {
  const kind = ERROR_KINDS.find(([pattern]) => pattern.test(code))?.[1] ?? 'other'
  return `updates.error.${kind}`
}

/** The version the updater is working on, or the running one if it names none. */
export function targetVersion(state: UpdateState): string {
  return state.availableVersion ?? state.currentVersion
}
