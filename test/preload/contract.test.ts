import { createRequire } from 'node:module'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import {
  API_METHOD_NAMES,
  channelOf,
  EVENTS_CHANNEL,
  SUBSCRIBE_CHANNEL,
  UNSUBSCRIBE_CHANNEL
} from '../../shared/api.ts'
import { MENU_CHANNEL, MENU_COMMANDS } from '../../shared/menu.ts'
import {
  createCrawlerBridge,
  createMenuBridge,
  toBridgeError,
  type IpcRendererLike,
  type IpcRendererListener
} from '../../electron/preload/bridge.ts'
import { eventBatch } from '../helpers/fixtures.ts'

/** A recording ipcRenderer: invoke answers from `replies`, `emit` plays a message from main. */
function fakeIpcRenderer(
  reply: (channel: string, args: unknown[]) => Promise<unknown> = () => Promise.resolve()
) {
  const invoked: { channel: string; args: unknown[] }[] = []
  const listeners = new Map<string, Set<IpcRendererListener>>()
  const ipc: IpcRendererLike = {
    invoke: (channel, ...args) => {
      invoked.push({ channel, args })
      return reply(channel, args)
    },
    on: (channel, listener) => {
      const set = listeners.get(channel) ?? new Set()
      set.add(listener)
      listeners.set(channel, set)
    },
    removeListener: (channel, listener) => {
      listeners.get(channel)?.delete(listener)
    }
  }
  const fakeEvent = { sender: { send: () => undefined }, senderId: 0, ports: [] }
  const emit = (channel: string, ...args: unknown[]): void => {
    for (const listener of listeners.get(channel) ?? []) listener(fakeEvent, ...args)
  }
  const listenerCount = (channel: string): number => listeners.get(channel)?.size ?? 0
  return { ipc, invoked, emit, listenerCount, fakeEvent }
}

const batch = eventBatch({ fromSeq: 1, toSeq: 2 })

describe('window.crawler (createCrawlerBridge)', () => {
  it('exposes exactly the contract methods plus onEvents', () => {
    const bridge = createCrawlerBridge(fakeIpcRenderer().ipc)
    expect(Object.keys(bridge).sort()).toEqual([...API_METHOD_NAMES, 'onEvents'].sort())
    for (const value of Object.values(bridge)) expect(typeof value).toBe('function')
  })

  it.each(API_METHOD_NAMES)('%s invokes its own channel with the arguments as given', async (method) => {
    const { ipc, invoked } = fakeIpcRenderer((channel) => Promise.resolve({ answeredOn: channel }))
    const bridge = createCrawlerBridge(ipc) as unknown as Record<
      string,
      (...args: unknown[]) => Promise<unknown>
    >
    const result = await bridge[method]!('a', 2, { three: 3 })
    expect(invoked).toEqual([{ channel: channelOf(method), args: ['a', 2, { three: 3 }] }])
    expect(result).toEqual({ answeredOn: channelOf(method) })
  })

  it('turns a main-side refusal into an Error carrying the code, in the message too', async () => {
    const { ipc } = fakeIpcRenderer(() =>
      Promise.reject(
        new Error(
          "Error invoking remote method 'crawler:startRun': Error: BAD_REQUEST: startRun argument 1: urlsText: Required"
        )
      )
    )
    const error = await createCrawlerBridge(ipc)
      .startRun({ urlsText: '', config: {} })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(Error)
    expect(error).toMatchObject({
      code: 'BAD_REQUEST',
      message: 'BAD_REQUEST: startRun argument 1: urlsText: Required'
    })
  })

  it.each([
    [
      "Error invoking remote method 'crawler:getResult': Error: NOT_FOUND: no run r9",
      'NOT_FOUND',
      'no run r9'
    ],
    [
      'FORBIDDEN: Refused: IPC from an untrusted frame (https://evil.test/)',
      'FORBIDDEN',
      'Refused: IPC from an untrusted frame (https://evil.test/)'
    ],
    [
      "Error invoking remote method 'crawler:x': Error: No handler registered for 'crawler:x'",
      'INTERNAL',
      "No handler registered for 'crawler:x'"
    ],
    ['WEIRD: not one of ours', 'INTERNAL', 'WEIRD: not one of ours'],
    ['line one\nline two', 'INTERNAL', 'line one\nline two']
  ])('toBridgeError(%j) → %s', (raw, code, message) => {
    const error = toBridgeError(new Error(raw))
    expect(error.code).toBe(code)
    expect(error.message).toBe(`${code}: ${message}`)
  })

  it('onEvents subscribes once, passes only the batch, and unsubscribes after the last listener', () => {
    const fake = fakeIpcRenderer()
    const bridge = createCrawlerBridge(fake.ipc)
    const first = vi.fn<(...args: unknown[]) => void>()
    const second = vi.fn<(...args: unknown[]) => void>()

    const offFirst = bridge.onEvents(first)
    const offSecond = bridge.onEvents(second)
    expect(fake.invoked.map((call) => call.channel)).toEqual([SUBSCRIBE_CHANNEL])
    expect(fake.listenerCount(EVENTS_CHANNEL)).toBe(1)

    fake.emit(EVENTS_CHANNEL, batch)
    expect(first.mock.calls).toEqual([[batch]])
    expect(second.mock.calls).toEqual([[batch]])
    for (const call of [...first.mock.calls, ...second.mock.calls]) {
      expect(call).not.toContain(fake.fakeEvent)
    }

    offFirst()
    offFirst() // idempotent: must not remove the other listener's subscription
    expect(fake.invoked.map((call) => call.channel)).toEqual([SUBSCRIBE_CHANNEL])
    fake.emit(EVENTS_CHANNEL, batch)
    expect(first).toHaveBeenCalledTimes(1)
    expect(second).toHaveBeenCalledTimes(2)

    offSecond()
    expect(fake.invoked.map((call) => call.channel)).toEqual([SUBSCRIBE_CHANNEL, UNSUBSCRIBE_CHANNEL])
    expect(fake.listenerCount(EVENTS_CHANNEL)).toBe(0)

    bridge.onEvents(first)
    expect(fake.invoked.map((call) => call.channel)).toEqual([
      SUBSCRIBE_CHANNEL,
      UNSUBSCRIBE_CHANNEL,
      SUBSCRIBE_CHANNEL
    ])
  })

  it('a throwing listener does not starve the others', () => {
    const fake = fakeIpcRenderer()
    const bridge = createCrawlerBridge(fake.ipc)
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const after = vi.fn()
    bridge.onEvents(() => {
      throw new Error('boom')
    })
    bridge.onEvents(after)
    fake.emit(EVENTS_CHANNEL, batch)
    expect(after).toHaveBeenCalledWith(batch)
    expect(errors).toHaveBeenCalledOnce()
    errors.mockRestore()
  })
})

describe('window.crawlerMenu (createMenuBridge)', () => {
  it('exposes only onCommand, and relays known commands without the event', () => {
    const fake = fakeIpcRenderer()
    const menu = createMenuBridge(fake.ipc)
    expect(Object.keys(menu)).toEqual(['onCommand'])
    const seen = vi.fn<(...args: unknown[]) => void>()
    const off = menu.onCommand(seen)
    for (const command of MENU_COMMANDS) fake.emit(MENU_CHANNEL, command)
    fake.emit(MENU_CHANNEL, 'rm -rf')
    fake.emit(MENU_CHANNEL, { command: 'new-run' })
    expect(seen.mock.calls).toEqual(MENU_COMMANDS.map((command) => [command]))
    off()
    expect(fake.listenerCount(MENU_CHANNEL)).toBe(0)
  })
})

// The preload entry itself, with 'electron' replaced before anything can load the real package
// (whose index.js would try to download the binary).
const exposed = vi.hoisted(() => new Map<string, unknown>())
vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, api: unknown) => {
      exposed.set(key, api)
    }
  },
  ipcRenderer: {
    invoke: () => Promise.resolve(),
    on: () => undefined,
    removeListener: () => undefined
  }
}))

describe('electron/preload/index.ts', () => {
  beforeEach(() => {
    exposed.clear()
    vi.resetModules()
    // Belt and braces: if the real electron/index.js ever ran, this makes it resolve a path
    // instead of downloading.
    vi.stubEnv('ELECTRON_OVERRIDE_DIST_PATH', '/nonexistent-electron-dist')
  })

  it('exposes window.crawler and window.crawlerMenu and nothing else, with the fake electron', async () => {
    await import('../../electron/preload/index.ts')
    expect([...exposed.keys()].sort()).toEqual(['crawler', 'crawlerMenu'])
    expect(Object.keys(exposed.get('crawler') as object).sort()).toEqual(
      [...API_METHOD_NAMES, 'onEvents'].sort()
    )
    expect(Object.keys(exposed.get('crawlerMenu') as object)).toEqual(['onCommand'])

    const cache = createRequire(import.meta.url).cache
    const loadedElectron = Object.keys(cache).filter((file) => /node_modules[\\/]electron[\\/]/.test(file))
    expect(loadedElectron).toEqual([])
  })
})
