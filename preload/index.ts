// The Electron preload: the bridge contract as named functions on `window.api`, and nothing else.
// It runs sandboxed (bundled to CommonJS by vite.electron.config.ts); ipcRenderer itself and IPC
// event objects never reach the page, and extra arguments from the page are dropped.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { Invoke, Push, type BridgeApi, type InvokeTypes, type PushEvent } from './contract.ts'

type Req<K extends keyof InvokeTypes> = InvokeTypes[K]['req']
type Res<K extends keyof InvokeTypes> = Promise<InvokeTypes[K]['res']>

function call<K extends keyof InvokeTypes>(key: K, req?: Req<K>): Res<K> {
  return ipcRenderer.invoke(Invoke[key], req) as Res<K>
}

const api: BridgeApi = {
  getSnapshot: () => call('getSnapshot'),
  getClusterStatus: (req) => call('getClusterStatus', req),
  getHistory: (req) => call('getHistory', req),
  refresh: (req) => call('refresh', req),
  addCluster: (req) => call('addCluster', req),
  updateCluster: (req) => call('updateCluster', req),
  removeCluster: (req) => call('removeCluster', req),
  setEnabled: (req) => call('setEnabled', req),
  testConnection: (req) => call('testConnection', req),
  acknowledge: (req) => call('acknowledge', req),
  snooze: (req) => call('snooze', req),
  mute: (req) => call('mute', req),
  setNotificationSettings: (req) => call('setNotificationSettings', req),
  testNotification: () => call('testNotification'),
  exportHistory: (req) => call('exportHistory', req),
  openExternal: (req) => call('openExternal', req),
  exportSettings: () => call('exportSettings'),
  importSettings: (req) => call('importSettings', req),
  setStartAtLogin: (req) => call('setStartAtLogin', req),
  onEvent(listener) {
    const relay = (_event: IpcRendererEvent, e: PushEvent): void => listener(e)
    ipcRenderer.on(Push.event, relay)
    return () => {
      ipcRenderer.off(Push.event, relay)
    }
  }
}

contextBridge.exposeInMainWorld('api', api)
