import { describe, expect, it, vi } from 'vitest'
import {
  guardAllWebContents,
  hardenSession,
  hardenWebContents,
  type GuardedContentsLike,
  type NavigationEventLike,
  type PermissionSessionLike
} from '../../electron/main/security.ts'

const APP = 'file:///app/out/renderer/index.html'
const isApp = (url: string): boolean => url.startsWith(APP)

function fakeContents() {
  const listeners = new Map<string, ((event: NavigationEventLike) => void)[]>()
  let openHandler: ((details: { url: string }) => { action: 'deny' }) | null = null
  const contents: GuardedContentsLike = {
    on: (event, listener) => {
      listeners.set(event, [...(listeners.get(event) ?? []), listener])
    },
    setWindowOpenHandler: (handler) => {
      openHandler = handler
    }
  }
  /** Emits a navigation-like event; returns whether it was prevented. */
  const emit = (event: string, url: string): boolean => {
    let prevented = false
    for (const listener of listeners.get(event) ?? []) {
      listener({
        url,
        preventDefault: () => {
          prevented = true
        }
      })
    }
    return prevented
  }
  return { contents, listeners, emit, openWindow: (url: string) => openHandler?.({ url }) }
}

describe('hardenWebContents', () => {
  it.each(['will-navigate', 'will-redirect'])(
    '%s: allows the app itself, denies everything else',
    (event) => {
      const fake = fakeContents()
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
      hardenWebContents(fake.contents, isApp)
      expect(fake.emit(event, `${APP}#/history`)).toBe(false)
      expect(fake.emit(event, 'https://example.com/')).toBe(true)
      expect(fake.emit(event, 'file:///etc/passwd')).toBe(true)
      warn.mockRestore()
    }
  )

  it('denies every new window, whatever the URL', () => {
    const fake = fakeContents()
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    hardenWebContents(fake.contents, isApp)
    expect(fake.openWindow('https://example.com/')).toEqual({ action: 'deny' })
    expect(fake.openWindow(APP)).toEqual({ action: 'deny' })
    warn.mockRestore()
  })

  it('denies webview attachment', () => {
    const fake = fakeContents()
    hardenWebContents(fake.contents, isApp)
    expect(fake.emit('will-attach-webview', APP)).toBe(true)
  })

  it('is idempotent', () => {
    const fake = fakeContents()
    hardenWebContents(fake.contents, isApp)
    hardenWebContents(fake.contents, isApp)
    expect(fake.listeners.get('will-navigate')).toHaveLength(1)
  })
})

describe('hardenSession', () => {
  it('denies permission requests and checks', () => {
    let request: Parameters<PermissionSessionLike['setPermissionRequestHandler']>[0] | undefined
    let check: Parameters<PermissionSessionLike['setPermissionCheckHandler']>[0] | undefined
    hardenSession({
      setPermissionRequestHandler: (handler) => {
        request = handler
      },
      setPermissionCheckHandler: (handler) => {
        check = handler
      }
    })
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    for (const permission of ['media', 'notifications', 'clipboard-read', 'geolocation', 'openExternal']) {
      const callback = vi.fn()
      request?.({}, permission, callback)
      expect(callback).toHaveBeenCalledWith(false)
      expect(check?.({}, permission)).toBe(false)
    }
    warn.mockRestore()
  })
})

describe('guardAllWebContents', () => {
  it('hardens every webContents the app creates', () => {
    let created: ((event: unknown, contents: GuardedContentsLike) => void) | undefined
    guardAllWebContents(
      {
        on: (_event, listener) => {
          created = listener
        }
      },
      isApp
    )
    const fake = fakeContents()
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    created?.({}, fake.contents)
    expect(fake.emit('will-navigate', 'https://example.com/')).toBe(true)
    expect(fake.openWindow('https://example.com/')).toEqual({ action: 'deny' })
    warn.mockRestore()
  })
})
