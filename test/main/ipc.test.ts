import { describe, expect, it, vi } from 'vitest'
import {
  API_METHOD_NAMES,
  ApiError,
  channelOf,
  EVENTS_CHANNEL,
  SUBSCRIBE_CHANNEL,
  UNSUBSCRIBE_CHANNEL,
  type ApiMethod,
  type EventBatch
} from '../../shared/api.ts'
import {
  IPC_CHANNELS,
  registerIpc,
  sendMenuCommand,
  type IpcHandler,
  type IpcInvokeEventLike,
  type IpcMainLike,
  type WebContentsLike
} from '../../electron/main/ipc.ts'
import { MENU_CHANNEL } from '../../shared/menu.ts'
import { toWireError } from '../../electron/core/api/index.ts'
import { eventBatch } from '../helpers/fixtures.ts'

const APP_URL = 'file:///opt/crawlboard/out/renderer/index.html'

function fakeIpcMain() {
  const handlers = new Map<string, IpcHandler>()
  const ipcMain: IpcMainLike = {
    handle: (channel, listener) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`)
      handlers.set(channel, listener)
    },
    removeHandler: (channel) => {
      handlers.delete(channel)
    }
  }
  /** Calls a handler the way Electron does: resolves with its value or rejects with its error. */
  const invoke = (channel: string, event: IpcInvokeEventLike, ...args: unknown[]): Promise<unknown> => {
    const handler = handlers.get(channel)
    if (!handler) return Promise.reject(new Error(`No handler registered for '${channel}'`))
    return Promise.resolve().then(() => handler(event, ...args))
  }
  return { ipcMain, handlers, invoke }
}

let nextId = 1
function fakeWebContents() {
  const sent: { channel: string; args: unknown[] }[] = []
  let destroyed = false
  const onDestroyed: (() => void)[] = []
  const contents: WebContentsLike = {
    id: nextId++,
    send: (channel, ...args) => {
      if (destroyed) throw new Error('Object has been destroyed')
      sent.push({ channel, args })
    },
    isDestroyed: () => destroyed,
    once: (_event, listener) => {
      onDestroyed.push(listener)
    }
  }
  const destroy = (): void => {
    destroyed = true
    for (const listener of onDestroyed.splice(0)) listener()
  }
  return { contents, sent, destroy, onDestroyed }
}

const eventFrom = (contents: WebContentsLike, url: string | null = APP_URL): IpcInvokeEventLike => ({
  sender: contents,
  senderFrame: url === null ? null : { url }
})

function fakeBackend() {
  const listeners = new Set<(batch: EventBatch) => void>()
  const backend = {
    subscribe: vi.fn((listener: (batch: EventBatch) => void) => {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    })
  }
  const push = (batch: EventBatch): void => {
    for (const listener of listeners) listener(batch)
  }
  return { backend, listeners, push }
}

function setup(
  dispatch = vi.fn((method: ApiMethod, args: readonly unknown[]) => Promise.resolve({ method, args }))
) {
  const ipc = fakeIpcMain()
  const events = fakeBackend()
  const dispose = registerIpc({
    ipcMain: ipc.ipcMain,
    dispatch,
    backend: events.backend,
    isTrustedSender: (frame) => frame?.url === APP_URL,
    toWireError
  })
  return { ...ipc, ...events, dispatch, dispose }
}

const batch = (toSeq: number): EventBatch => eventBatch({ fromSeq: toSeq, toSeq })

describe('registerIpc', () => {
  it('registers one handler per contract method plus subscribe/unsubscribe, and nothing else', () => {
    const { handlers } = setup()
    const expected = [...API_METHOD_NAMES.map(channelOf), SUBSCRIBE_CHANNEL, UNSUBSCRIBE_CHANNEL]
    expect([...handlers.keys()].sort()).toEqual(expected.sort())
    expect([...IPC_CHANNELS].sort()).toEqual(expected.sort())
  })

  it.each(API_METHOD_NAMES)('%s dispatches its method with the raw arguments', async (method) => {
    const { invoke, dispatch } = setup()
    const { contents } = fakeWebContents()
    const result = await invoke(channelOf(method), eventFrom(contents), 'x', { y: 1 })
    expect(dispatch).toHaveBeenCalledWith(method, ['x', { y: 1 }])
    expect(result).toEqual({ method, args: ['x', { y: 1 }] })
  })

  it.each([
    ['another origin', 'https://evil.example/'],
    ['another file', 'file:///tmp/evil.html'],
    ['a frame that is gone', null]
  ])('refuses a call from %s before dispatching', async (_name, url) => {
    const { invoke, dispatch } = setup()
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const { contents } = fakeWebContents()
    const error = await invoke(channelOf('startRun'), eventFrom(contents, url), {}).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(Error)
    expect((error as Error).message).toMatch(/^FORBIDDEN: Refused: IPC from an untrusted frame \(.+\)$/)
    if (url !== null) expect((error as Error).message).toContain(url)
    expect(dispatch).not.toHaveBeenCalled()
    warn.mockRestore()
  })

  it('refuses subscribe from an untrusted frame too', async () => {
    const { invoke, backend } = setup()
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const { contents } = fakeWebContents()
    await expect(invoke(SUBSCRIBE_CHANNEL, eventFrom(contents, 'https://evil.example/'))).rejects.toThrow(
      /Refused: IPC from an untrusted frame/
    )
    expect(backend.subscribe).not.toHaveBeenCalled()
    warn.mockRestore()
  })

  it('turns an ApiError into "<code>: <message>" (Electron transports only the message)', async () => {
    const dispatch = vi.fn(() =>
      Promise.reject(new ApiError('BAD_REQUEST', 'startRun argument 1: urlsText: Invalid input'))
    )
    const { invoke } = setup(dispatch)
    const { contents } = fakeWebContents()
    await expect(invoke(channelOf('startRun'), eventFrom(contents), 42)).rejects.toThrow(
      new Error('BAD_REQUEST: startRun argument 1: urlsText: Invalid input')
    )
  })

  it('turns any other error into INTERNAL without its stack', async () => {
    const { invoke } = setup(
      vi.fn(() => Promise.reject(new TypeError('x is undefined\n    at foo (bar.js:1:1)')))
    )
    const { contents } = fakeWebContents()
    const error = (await invoke(channelOf('listRuns'), eventFrom(contents)).catch((e: unknown) => e)) as Error
    expect(error.message).toMatch(/^INTERNAL: /)
    expect(error.message).not.toContain('bar.js')
  })

  it('sends batches only to subscribed, live webContents, and subscribes to the backend lazily', async () => {
    const { invoke, backend, listeners, push } = setup()
    const a = fakeWebContents()
    const b = fakeWebContents()
    const bystander = fakeWebContents()

    push(batch(1))
    expect(backend.subscribe).not.toHaveBeenCalled()

    await invoke(SUBSCRIBE_CHANNEL, eventFrom(a.contents))
    await invoke(SUBSCRIBE_CHANNEL, eventFrom(a.contents)) // a reload re-subscribes: still one entry
    await invoke(SUBSCRIBE_CHANNEL, eventFrom(b.contents))
    expect(backend.subscribe).toHaveBeenCalledTimes(1)
    expect(a.onDestroyed).toHaveLength(1)

    push(batch(2))
    expect(a.sent).toEqual([{ channel: EVENTS_CHANNEL, args: [batch(2)] }])
    expect(b.sent).toEqual([{ channel: EVENTS_CHANNEL, args: [batch(2)] }])
    expect(bystander.sent).toEqual([])

    await invoke(UNSUBSCRIBE_CHANNEL, eventFrom(a.contents))
    push(batch(3))
    expect(a.sent).toHaveLength(1)
    expect(b.sent).toHaveLength(2)

    b.destroy()
    expect(listeners.size).toBe(0)
    push(batch(4))
    expect(b.sent).toHaveLength(2)
  })

  it('drops a webContents destroyed without its destroyed event having run yet', async () => {
    const { invoke, push, listeners } = setup()
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const a = fakeWebContents()
    await invoke(SUBSCRIBE_CHANNEL, eventFrom(a.contents))
    a.onDestroyed.length = 0 // simulate the race: destroyed, listener not run
    a.destroy()
    push(batch(1))
    expect(a.sent).toEqual([])
    expect(listeners.size).toBe(0)
    warn.mockRestore()
  })

  it('the disposer removes every handler and stops delivery', async () => {
    const { invoke, handlers, listeners, dispose } = setup()
    const a = fakeWebContents()
    await invoke(SUBSCRIBE_CHANNEL, eventFrom(a.contents))
    dispose()
    expect(handlers.size).toBe(0)
    expect(listeners.size).toBe(0)
  })
})

describe('sendMenuCommand', () => {
  it('sends the command on the menu channel to a live window only', () => {
    const live = fakeWebContents()
    sendMenuCommand(live.contents, 'toggle-run')
    expect(live.sent).toEqual([{ channel: MENU_CHANNEL, args: ['toggle-run'] }])

    const gone = fakeWebContents()
    gone.destroy()
    expect(() => {
      sendMenuCommand(gone.contents, 'export')
      sendMenuCommand(null, 'export')
      sendMenuCommand(undefined, 'export')
    }).not.toThrow()
    expect(gone.sent).toEqual([])
  })
})
