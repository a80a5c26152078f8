import type { BrowserWindow, IpcMainInvokeEvent } from 'electron'
import { ipcMain } from 'electron'
import { IPC_EVENT, IPC_PREFIX } from '../common/api'
import { channels } from '../common/contract'
import { fail } from '../common/result'
import type { Kiosk } from './services/kiosk'
import type { Logger } from './services/platform/logger'
import { isTrustedSender } from './window-policy'

function senderIsTrusted(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame
  return frame !== null && isTrustedSender(frame.url, frame.parent === null)
}

/** Binds every contract channel to the dispatcher, refusing calls that do not come from the app's own page. */
export function bindIpc(kiosk: Kiosk, logger: Logger): void {
  for (const channel of channels) {
    ipcMain.handle(`${IPC_PREFIX}${channel}`, async (event, input: unknown) => {
      if (!senderIsTrusted(event)) {
        logger.warn('IPC refused from untrusted sender', { channel })
        return fail({ code: 'forbidden', message: 'Untrusted sender' })
      }
      return kiosk.dispatch(channel, input, { transport: 'ipc' })
    })
  }
}

/** Forwards kiosk events to the window; events carry no personal data beyond what the contract names. */
export function forwardEvents(kiosk: Kiosk, win: BrowserWindow): () => void {
  return kiosk.events.subscribe((name, payload) => {
    if (!win.isDestroyed()) win.webContents.send(IPC_EVENT, name, payload)
  })
}
