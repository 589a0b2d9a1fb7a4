import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { appPaths, isAppUrl, rendererTarget } from '../../electron/main/app-paths.ts'

const mainDir = join('/opt', 'Crawl Board', 'resources', 'app.asar', 'out', 'main')
const paths = appPaths(mainDir)

describe('appPaths', () => {
  it('points at the preload and renderer next to the main bundle', () => {
    expect(paths.preload).toBe(
      join('/opt', 'Crawl Board', 'resources', 'app.asar', 'out', 'preload', 'index.cjs')
    )
    expect(paths.rendererIndex).toBe(
      join('/opt', 'Crawl Board', 'resources', 'app.asar', 'out', 'renderer', 'index.html')
    )
  })
})

describe('rendererTarget', () => {
  const rendererIndex = paths.rendererIndex
  it.each([
    ['packaged, no dev URL', { devUrl: undefined, isPackaged: true }, 'file'],
    ['packaged ignores a dev URL', { devUrl: 'http://localhost:5173', isPackaged: true }, 'file'],
    ['unpackaged without a dev server', { devUrl: undefined, isPackaged: false }, 'file'],
    ['unpackaged with an empty dev URL', { devUrl: '', isPackaged: false }, 'file'],
    ['unpackaged with a garbage dev URL', { devUrl: 'not a url', isPackaged: false }, 'file'],
    ['electron-vite dev', { devUrl: 'http://localhost:5173', isPackaged: false }, 'url']
  ] as const)('%s → %s', (_name, options, kind) => {
    expect(rendererTarget({ rendererIndex, ...options }).kind).toBe(kind)
  })
})

describe('isAppUrl', () => {
  const fileTarget = { kind: 'file', path: paths.rendererIndex } as const
  const appUrl = pathToFileURL(paths.rendererIndex).href

  it.each([
    [appUrl, true],
    [`${appUrl}#/history`, true],
    [`${appUrl}?run=r1`, true],
    [appUrl.replace('index.html', 'other.html'), false],
    [appUrl.replace('/renderer/', '/renderer/../renderer/'), true],
    ['file:///etc/passwd', false],
    ['file://evil-host/opt/Crawl%20Board/resources/app.asar/out/renderer/index.html', false],
    ['https://example.com/', false],
    ['about:blank', false],
    ['data:text/html,<p>x</p>', false],
    ['', false],
    ['index.html', false]
  ])('file target: %s → %s', (url, trusted) => {
    expect(isAppUrl(fileTarget, 'linux')(url)).toBe(trusted)
  })

  it('folds case only on Windows, whose paths are case-insensitive', () => {
    const target = { kind: 'file', path: '/Opt/Crawlboard/out/renderer/index.html' } as const
    const url = 'file:///opt/crawlboard/out/renderer/index.html'
    expect(isAppUrl(target, 'win32')(url)).toBe(true)
    expect(isAppUrl(target, 'linux')(url)).toBe(false)
    expect(isAppUrl(target, 'darwin')(url)).toBe(false)
  })

  it.each([
    ['http://localhost:5173/', true],
    ['http://localhost:5173/src/main.tsx?t=1', true],
    ['http://localhost:5174/', false],
    ['http://127.0.0.1:5173/', false],
    ['https://localhost:5173/', false],
    ['file:///opt/x/index.html', false],
    ['garbage', false]
  ])('dev target: %s → %s', (url, trusted) => {
    expect(isAppUrl({ kind: 'url', url: 'http://localhost:5173' })(url)).toBe(trusted)
  })
})
