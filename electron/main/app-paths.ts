import { join, normalize } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * Where the built app's pieces live, and which URLs count as "the app itself". Trust decisions
 * (IPC senders, navigation) all derive from the one renderer target chosen here.
 */

export interface AppPaths {
  readonly preload: string
  readonly rendererIndex: string
}

/** `mainDir` is the folder of the built main bundle (out/main). */
export function appPaths(mainDir: string): AppPaths {
  return {
    preload: join(mainDir, '../preload/index.cjs'),
    rendererIndex: join(mainDir, '../renderer/index.html')
  }
}

export type RendererTarget =
  { readonly kind: 'file'; readonly path: string } | { readonly kind: 'url'; readonly url: string }

/**
 * The built index.html, or electron-vite's dev server when it set ELECTRON_RENDERER_URL. A
 * packaged app never loads a dev server, whatever the environment says.
 */
export function rendererTarget(options: {
  readonly rendererIndex: string
  readonly devUrl: string | undefined
  readonly isPackaged: boolean
}): RendererTarget {
  const { devUrl } = options
  if (!options.isPackaged && devUrl !== undefined && devUrl !== '' && URL.canParse(devUrl)) {
    return { kind: 'url', url: devUrl }
  }
  return { kind: 'file', path: options.rendererIndex }
}

/**
 * A predicate for "this URL is the app's renderer": in production exactly the built index.html
 * (any hash or query, since the renderer may route with them), in development the dev server's
 * origin. Everything else (other files, other origins, about:blank, data:) is foreign.
 */
export function isAppUrl(
  target: RendererTarget,
  platform: string = process.platform
): (url: string) => boolean {
  if (target.kind === 'url') {
    const origin = new URL(target.url).origin
    return (url) => URL.canParse(url) && new URL(url).origin === origin
  }
  // Windows paths compare case-insensitively; elsewhere the URL comes from our own loadFile.
  const fold = (path: string): string => (platform === 'win32' ? path.toLowerCase() : path)
  const expected = fold(normalize(target.path))
  return (url) => {
    if (!URL.canParse(url)) return false
    const parsed = new URL(url)
    if (parsed.protocol !== 'file:' || parsed.host !== '') return false
    try {
      return fold(normalize(fileURLToPath(parsed))) === expected
    } catch {
      return false
    }
  }
}
