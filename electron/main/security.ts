/**
 * The Electron security checklist for everything that is not the window's own preferences
 * (those are in window.ts): https://www.electronjs.org/docs/latest/tutorial/security.
 * The renderer never shows remote content (crawled pages are data), so every navigation away from
 * the app, every new window and every permission is refused.
 */

export interface NavigationEventLike {
  readonly url: string
  preventDefault(): void
}

export interface GuardedContentsLike {
  on(
    event: 'will-navigate' | 'will-redirect' | 'will-attach-webview',
    listener: (event: NavigationEventLike) => void
  ): unknown
  setWindowOpenHandler(handler: (details: { readonly url: string }) => { action: 'deny' }): void
}

export interface PermissionSessionLike {
  setPermissionRequestHandler(
    handler: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void
  ): void
  setPermissionCheckHandler(handler: (contents: unknown, permission: string) => boolean): void
}

export interface WebContentsCreatorLike {
  on(
    event: 'web-contents-created',
    listener: (event: unknown, contents: GuardedContentsLike) => void
  ): unknown
}

const hardened = new WeakSet<object>()

/**
 * Denies new windows and webviews, and navigation/redirects to anything but the app's own URL.
 * Idempotent: the main window is hardened explicitly and again by the web-contents-created guard.
 */
export function hardenWebContents(contents: GuardedContentsLike, isAppUrl: (url: string) => boolean): void {
  if (hardened.has(contents)) return
  hardened.add(contents)
  // Links are not opened externally either: nothing in the app needs it, and a crawled page's
  // title or URL must never become a way to launch a program.
  contents.setWindowOpenHandler(({ url }) => {
    console.warn(`security: denied window.open(${url})`)
    return { action: 'deny' }
  })
  const denyForeign = (event: NavigationEventLike): void => {
    if (isAppUrl(event.url)) return
    event.preventDefault()
    console.warn(`security: denied navigation to ${event.url}`)
  }
  // Main frame only: subframes cannot load at all under the CSP's frame-src 'none'.
  contents.on('will-navigate', denyForeign)
  contents.on('will-redirect', denyForeign)
  contents.on('will-attach-webview', (event) => {
    event.preventDefault()
  })
}

/** No permission is ever granted: no camera, notifications, clipboard reads, geolocation, … */
export function hardenSession(session: PermissionSessionLike): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    console.warn(`security: denied permission request ${permission}`)
    callback(false)
  })
  session.setPermissionCheckHandler(() => false)
}

/** Hardens every webContents the app ever creates (devtools, anything a future feature adds). */
export function guardAllWebContents(app: WebContentsCreatorLike, isAppUrl: (url: string) => boolean): void {
  app.on('web-contents-created', (_event, contents) => {
    hardenWebContents(contents, isAppUrl)
  })
}
