import type { UpdateState } from '../../../common/operations'
import type { KioskConfig } from '../../../common/config'
import type { UpdateController } from '../updates'
import type { Logger } from '../platform/logger'
import type { Transport } from '../central/transport'
import type { BackoffPolicy } from '../upload/backoff'
import type { Clock } from '../platform/clock'
import type { BatchLimits } from '../upload/uploader'
import type { NetworkServiceOptions } from '../network/service'
import type { ReceiptPrinter } from '../registration/receipt-print'
import type { KeyProvider } from '../security/keys'
import type { DriveFinderOptions } from '../storage/drives'

export interface KioskOptions {
  dataDir: string
  config: KioskConfig
  version: string
  logger: Logger
  /** The app's resources/ folder (region data, models): beside the asar when packaged, the repository's in dev. */
  resourcesDir: string
  /** Production passes the provider main/index.ts chose (keyring, TPM, or a plain file); dev and tests a 0600 file. */
  keyProvider?: KeyProvider
  /** Packaged kiosks: a key in a plain file (`none`) stops registering unless config.allowUnprotectedKey. */
  requireKeyProtection?: boolean
  /** Injected so tests can control time. */
  now?: () => Date
  /** Timers of the session auto-lock and the retention rounds; a manual clock in tests (the uploader's is `upload.clock`). */
  clock?: Clock
  /** main/index.ts passes startUpdater; without it (browser mode, tests) updates report 'disabled'. */
  updates?: (deps: { activity: () => { draftOpen: boolean; uploading: boolean; exporting: boolean }; onState: (state: UpdateState) => void }) => UpdateController
  /** electron-log's folder: its files go into the diagnostics export. */
  logsDir?: string
  /** The hourly heartbeat to central's fleet view (default: on when the kiosk has a token). */
  heartbeat?: { autoStart?: boolean; clock?: Clock; afterUploads?: boolean }
  /** Electron's printing for the receipt (main/index.ts passes it); absent in browser mode and tests. */
  printer?: ReceiptPrinter
  /** The automatic (6-hourly) retention purge; tests turn it off and call `retention.purge`. */
  retentionSchedule?: boolean
  /** Development only (`npm start`, `npm run dev:web`): a supervisor created when the kiosk has no operator yet. */
  demoOperator?: { id: string; name: string; pin: string }
  /**
   * The KTP reader (main/services/ktp): its built worker (dist/main/ktp-worker.cjs). Without one, `ktp.read`
   * answers `unavailable` and the step offers manual entry only.
   */
  ktp?: { workerScript?: string }
  /** quick_check at start: the built worker (dist/main/integrity-worker.cjs); without one it runs inline (tests). */
  integrity?: { workerScript?: string }
  /** The post's bearer token for central (from enrolment); without one the uploader stays `not_configured`. */
  centralToken?: string
  upload?: {
    /** Start the background uploader (default: when a token is configured). Tests drive `runOnce` instead. */
    autoStart?: boolean
    clock?: Clock
    random?: () => number
    backoff?: Partial<BackoffPolicy>
    limits?: Partial<BatchLimits>
    /** For enrolment, heartbeats and bundle reconciliation; tests inject one to watch or break those requests. */
    fetch?: typeof fetch
    /** The upload client's HTTP (central/transport.ts); tests wrap Node's to watch or break upload requests. */
    transport?: Transport
    pollMs?: number
    debounceMs?: number
    photoConcurrency?: number
    /** Batches prepared and their photos sent ahead of the one being posted (queue/uploader.ts). */
    lookahead?: number
    /**
     * The built upload worker (dist/main/upload-worker.cjs): reading and decrypting batches there keeps the UI's
     * event loop free during uploads. Without it (most unit tests) the same work runs inline.
     */
    workerScript?: string
  }
  nativeBinding?: string
  /**
   * The post network (DESIGN §11). Off unless `autoStart` (main/index.ts turns it on; tests start it by hand, on
   * 127.0.0.1 and port 0 by default there, with mDNS only where they say so).
   */
  network?: {
    autoStart?: boolean
    host?: string
    port?: number
    mdns?: boolean
    mdnsInterface?: string
    backupQuotaBytes?: number
    /**
     * When this desk asks the others to relay its records (issue 22.2): `auto` while its uploader cannot reach
     * central (the default); `always` makes it ask even then (tests and the bench race the relay against the desk's own
     * upload); `never` turns asking off.
     */
    relay?: 'auto' | 'always' | 'never'
  } & Pick<
    NetworkServiceOptions,
    'roundMs' | 'goneAfterMs' | 'limits'
  >
  /** Where removable drives are looked for (storage/drives.ts); tests point it at a mount table of their own. */
  drives?: DriveFinderOptions
  /** The USB backup stick's passes (issue 22.3): every `intervalMs` (10 s) unless `autoStart` is false (tests pass by hand). */
  stick?: { autoStart?: boolean; intervalMs?: number }
  /** The desk status events' throttle (network/desk-status.ts) and how often it is checked; tests shorten them. */
  deskStatus?: { minIntervalMs?: number; keepAliveMs?: number; tickMs?: number }
}
