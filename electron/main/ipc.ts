import {
  API_METHOD_NAMES,
  channelOf,
  EVENTS_CHANNEL,
  SUBSCRIBE_CHANNEL,
  UNSUBSCRIBE_CHANNEL,
  type EventBatch
} from '../../shared/api.ts'
import { MENU_CHANNEL, type MenuCommand } from '../../shared/menu.ts'
import type { ApiDispatcher, CrawlerBackend } from '../core/index.ts'

/**
 * Binds the CrawlerApi contract to Electron's ipcMain: one handler per method channel, each
 * refusing senders that are not the app's own renderer, plus the subscribe/unsubscribe pair that
 * decides which windows receive event batches. The only module (with the preload) that touches
 * raw IPC; Electron's objects are reduced to the minimal shapes below so tests use fakes.
 */

export interface WebContentsLike {
  readonly id: number
  send(channel: string, ...args: unknown[]): void
  isDestroyed(): boolean
  once(event: 'destroyed', listener: () => void): unknown
}

export interface IpcInvokeEventLike {
  /** Null when the frame navigated away or was destroyed before the call arrived. */
  readonly senderFrame: { readonly url: string } | null
  readonly sender: WebContentsLike
}

export type IpcHandler = (event: IpcInvokeEventLike, ...args: unknown[]) => unknown

export interface IpcMainLike {
  handle(channel: string, listener: IpcHandler): void
  removeHandler(channel: string): void
}

export interface IpcDeps {
  readonly ipcMain: IpcMainLike
  readonly dispatch: ApiDispatcher
  readonly backend: Pick<CrawlerBackend, 'subscribe'>
  isTrustedSender(frame: { readonly url: string } | null): boolean
  /** ApiError → its code and message; anything else → INTERNAL (a bug, logged by the service). */
  toWireError(error: unknown): { readonly code: string; readonly message: string }
}

/** Every channel registerIpc handles: the contract's method channels and the subscribe pair. */
export const IPC_CHANNELS: readonly string[] = [
  ...API_METHOD_NAMES.map(channelOf),
  SUBSCRIBE_CHANNEL,
  UNSUBSCRIBE_CHANNEL
]

/** Registers every handler; the returned function removes them and stops event delivery. */
export function registerIpc(deps: IpcDeps): () => void {
  const { ipcMain, dispatch, backend } = deps

  const assertTrusted = (event: IpcInvokeEventLike, channel: string): void => {
    if (deps.isTrustedSender(event.senderFrame)) return
    const url = event.senderFrame?.url ?? 'unknown: frame gone'
    console.warn(`ipc: refused ${channel} from ${url}`)
    // Electron transports only the message, so the code travels in it (see the preload).
    throw new Error(`FORBIDDEN: Refused: IPC from an untrusted frame (${url})`)
  }

  for (const method of API_METHOD_NAMES) {
    const channel = channelOf(method)
    ipcMain.handle(channel, async (event, ...args) => {
      assertTrusted(event, channel)
      try {
        return await dispatch(method, args)
      } catch (error) {
        const wire = deps.toWireError(error)
        // Only the message reaches the renderer; the cause stays for main-side debugging.
        throw new Error(`${wire.code}: ${wire.message}`, { cause: error })
      }
    })
  }

  // Event delivery: subscribed renderers by webContents id. The backend subscription exists only
  // while someone listens.
  const subscribers = new Map<number, WebContentsLike>()
  const watched = new Set<number>()
  let stopBackend: (() => void) | null = null

  const deliver = (batch: EventBatch): void => {
    for (const [id, contents] of subscribers) {
      if (contents.isDestroyed()) {
        subscribers.delete(id)
        continue
      }
      try {
        contents.send(EVENTS_CHANNEL, batch)
      } catch (error) {
        // Destroyed between the check and the send (window closing mid-run): drop it.
        subscribers.delete(id)
        console.warn(`ipc: dropped subscriber ${id}`, error)
      }
    }
    if (subscribers.size === 0) release()
  }
  const release = (): void => {
    stopBackend?.()
    stopBackend = null
  }
  const unsubscribe = (id: number): void => {
    subscribers.delete(id)
    if (subscribers.size === 0) release()
  }

  ipcMain.handle(SUBSCRIBE_CHANNEL, (event) => {
    assertTrusted(event, SUBSCRIBE_CHANNEL)
    const contents = event.sender
    if (contents.isDestroyed()) return
    subscribers.set(contents.id, contents)
    if (!watched.has(contents.id)) {
      watched.add(contents.id)
      contents.once('destroyed', () => {
        watched.delete(contents.id)
        unsubscribe(contents.id)
      })
    }
    stopBackend ??= backend.subscribe(deliver)
  })
  ipcMain.handle(UNSUBSCRIBE_CHANNEL, (event) => {
    assertTrusted(event, UNSUBSCRIBE_CHANNEL)
    unsubscribe(event.sender.id)
  })

  return () => {
    for (const channel of IPC_CHANNELS) ipcMain.removeHandler(channel)
    subscribers.clear()
    release()
  }
}

/** Delivers an application-menu command to a window's renderer (see shared/menu.ts). */
export function sendMenuCommand(
  contents: Pick<WebContentsLike, 'send' | 'isDestroyed'> | null | undefined,
  command: MenuCommand
): void {
  if (contents && !contents.isDestroyed()) contents.send(MENU_CHANNEL, command)
}
