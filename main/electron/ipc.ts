// Electron shell: the bridge contract over IPC. One handler per channel of preload/contract.ts;
// each checks that the sender is the top frame of our own page, validates the payload with the
// same zod schemas as `serve`, then calls the controller. Pushes go the other way on one channel.
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron'
import { Invoke, Push, type InvokeTypes, type PushEvent } from '../../preload/contract.ts'
import { parseRequest } from '../core/app/requests.ts'
import type { Controller } from '../core/app/controller.ts'
import { isAppFrame } from './security.ts'

type Channel = keyof InvokeTypes
type Handler = (req: unknown) => Promise<unknown>

export interface IpcOptions {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>
  controller: Controller
  /** Called after a window fetched its snapshot (it is listening for pushes by then). */
  onSnapshot?: (sender: WebContents) => void
  log?: (line: string) => void
}

/** The request was refused before reaching the controller (logged; the page sees only this message). */
export class RejectedRequest extends Error {}

/** Register every channel; returns a function that removes them again. */
export function registerIpc(o: IpcOptions): () => void {
  const channels = Object.keys(Invoke) as Channel[]
  for (const key of channels) {
    o.ipcMain.handle(Invoke[key], async (event: IpcMainInvokeEvent, raw: unknown) => {
      if (!isAppFrame(event.senderFrame)) {
        o.log?.(`refused ${Invoke[key]} from ${event.senderFrame?.url ?? 'a frame that is gone'}`)
        throw new RejectedRequest(`rejected ${Invoke[key]}: not the app's page`)
      }
      let req: unknown
      try {
        req = parseRequest(key, raw)
      } catch (err) {
        o.log?.((err as Error).message)
        throw new RejectedRequest((err as Error).message)
      }
      const run = (o.controller[key] as Handler).bind(o.controller)
      const res = await run(req)
      if (key === 'getSnapshot') o.onSnapshot?.(event.sender)
      return res
    })
  }
  return () => {
    for (const key of channels) o.ipcMain.removeHandler(Invoke[key])
  }
}

/** Relay the controller's pushes to the window (when there is one and it is alive). */
export function relayPushes(
  controller: Pick<Controller, 'onEvent'>,
  target: () => WebContents | undefined
): () => void {
  return controller.onEvent((e: PushEvent) => {
    const wc = target()
    if (wc && !wc.isDestroyed()) wc.send(Push.event, e)
  })
}
