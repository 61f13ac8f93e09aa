// The one way components reach the app: the contract's API, over Electron IPC (window.api from
// the preload) or over HTTP (scale-tray serve). Tests replace it with a fake via setBridge().
import type { BridgeApi } from '../../preload/contract.ts'
import { createHttpBridge } from './bridge-http.ts'

declare global {
  interface Window {
    /** Set by the Electron preload (contextBridge); absent in a browser. */
    api?: BridgeApi
  }
}

let current: BridgeApi | undefined

/** The bridge for this page: Electron's when the preload exposed one, else HTTP. */
export function bridge(): BridgeApi {
  current ??= window.api ?? createHttpBridge(window.location.origin)
  return current
}

/** For tests: use a fake. */
export function setBridge(b: BridgeApi): void {
  current = b
}
