import type { PoskoApi } from '../../common/api'

declare global {
  interface Window {
    /** Provided by the preload bridge (Electron) or the browser-mode bridge; absent if neither loaded. */
    readonly posko?: PoskoApi
  }
}
