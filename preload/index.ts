import { contextBridge, ipcRenderer } from 'electron'
import type { Transport } from '../common/api'
import { IPC_EVENT, IPC_PREFIX, createPoskoApi } from '../common/api'
import type { Result } from '../common/result'

const transport: Transport = {
  invoke: (channel, input) => ipcRenderer.invoke(`${IPC_PREFIX}${channel}`, input) as Promise<Result<unknown>>,
  subscribe(event, listener) {
    const handler = (_e: unknown, name: unknown, payload: unknown) => {
      if (name === event) listener(payload)
    }
    ipcRenderer.on(IPC_EVENT, handler)
    return () => void ipcRenderer.removeListener(IPC_EVENT, handler)
  },
}

// Only the contract's methods cross into the page: never ipcRenderer itself.
contextBridge.exposeInMainWorld('posko', createPoskoApi(transport))
