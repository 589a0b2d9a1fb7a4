import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, resolve } from 'node:path'
import { inflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'

/**
 * Packaging downloads Electron and tool bundles, so installers cannot be built here. Instead this
 * loads electron-builder.yml the way electron-builder does (app-builder-lib's own getConfig, which
 * merges package.json) and validates it against electron-builder's JSON schema — both offline —
 * then checks the choices the product needs: every platform's targets, the fuses, the files, the
 * icon.
 */

const root = resolve(import.meta.dirname, '../..')
const require = createRequire(import.meta.url)

// No "exports" map in app-builder-lib 26, so the config module is reachable by path; loading it
// loads no Electron.
interface ConfigModule {
  readonly getConfig: (
    projectDir: string,
    configPath: string | null,
    fromOptions: null
  ) => Promise<Record<string, unknown>>
  readonly validateConfiguration: (config: Record<string, unknown>, logger: unknown) => Promise<void>
}
const { getConfig, validateConfiguration } =
  require('app-builder-lib/out/util/config/config.js') as ConfigModule
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown }

interface Manifest {
  name: string
  productName?: string
  version: string
  description?: string
  author?: string
  main: string
  scripts: Record<string, string>
  dependencies?: Record<string, string>
  devDependencies?: Record<string, string>
}
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest

interface BuilderConfig {
  appId: string
  productName: string
  asar: boolean
  npmRebuild: boolean
  icon: string
  directories: { output: string; buildResources: string }
  files: { filter: string[] }[] | string[]
  electronFuses: Record<string, boolean>
  linux: { target: string[]; category: string; maintainer: string; icon?: string }
  deb: { depends: string[] }
  win: { target: string[] }
  mac: { target: string[]; category: string }
  nsis: { oneClick: boolean }
}
const raw = await getConfig(root, null, null)
const config = raw as unknown as BuilderConfig

/** Width, height, bit depth and colour type from a PNG's IHDR chunk (RFC 2083 §4.1.1). */
function pngHeader(file: string) {
  const png = readFileSync(file)
  const signature = png.subarray(0, 8).toString('hex')
  const type = png.subarray(12, 16).toString('ascii')
  return {
    signature,
    type,
    width: png.readUInt32BE(16),
    height: png.readUInt32BE(20),
    bitDepth: png[24],
    colorType: png[25],
    png
  }
}

describe('electron-builder.yml', () => {
  it("passes electron-builder's own schema validation", async () => {
    await expect(validateConfiguration(raw, new DebugLogger(false))).resolves.toBeUndefined()
  })

  it('names the app', () => {
    expect(config.appId).toBe('dev.crawlboard.app')
    expect(config.productName).toBe('Crawlboard')
    expect(manifest.productName).toBe('Crawlboard')
  })

  it('builds AppImage and deb, NSIS, and dmg', () => {
    expect(config.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']))
    expect(config.win.target).toEqual(['nsis'])
    expect(config.mac.target).toEqual(['dmg'])
    expect(config.linux.category).toBeTruthy()
    expect(config.mac.category).toMatch(/^public\.app-category\./)
    expect(config.linux.maintainer).toMatch(/<[^@\s]+@[^>\s]+>/)
    expect(config.deb.depends.length).toBeGreaterThan(0)
    expect(config.nsis.oneClick).toBe(false)
  })

  it('ships the build output and the manifest in an asar, without rebuilding', () => {
    const filters = config.files.flatMap((entry) => (typeof entry === 'string' ? [entry] : entry.filter))
    expect(filters).toEqual(expect.arrayContaining(['out/**', 'package.json']))
    expect(config.asar).toBe(true)
    expect(config.npmRebuild).toBe(false)
    expect(manifest.main).toBe('out/main/index.js')
    expect(config.directories.output).toMatch(/^release\//)
  })

  it('sets the fuses', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true
    })
  })

  it('uses a 512×512 RGBA PNG icon that decodes', () => {
    expect(config.icon).toBe('build/icon.png')
    const icon = pngHeader(join(root, config.icon))
    expect(icon.signature).toBe('89504e470d0a1a0a')
    expect(icon.type).toBe('IHDR')
    expect([icon.width, icon.height]).toEqual([512, 512])
    expect([icon.bitDepth, icon.colorType]).toEqual([8, 6])
    // The image data inflates to exactly one filter byte plus 512 RGBA pixels per row.
    const chunks: Buffer[] = []
    for (let offset = 8; offset < icon.png.length;) {
      const length = icon.png.readUInt32BE(offset)
      if (icon.png.subarray(offset + 4, offset + 8).toString('ascii') === 'IDAT') {
        chunks.push(icon.png.subarray(offset + 8, offset + 8 + length))
      }
      offset += length + 12
    }
    expect(inflateSync(Buffer.concat(chunks)).length).toBe((512 * 4 + 1) * 512)
  })
})

describe('package.json for packaging', () => {
  it('has what electron-builder and the deb need', () => {
    expect(manifest.name).toMatch(/^[a-z0-9-]+$/)
    expect(manifest.version).toMatch(/^\d+\.\d+\.\d+/)
    expect(manifest.description).toBeTruthy()
    expect(manifest.author).toMatch(/<[^@\s]+@[^>\s]+>/)
  })

  it('keeps electron and electron-builder out of the production dependencies', () => {
    // electron-builder refuses an app that depends on electron at runtime, and reads the Electron
    // version to download from devDependencies.
    expect(manifest.dependencies ?? {}).not.toHaveProperty('electron')
    expect(manifest.dependencies ?? {}).not.toHaveProperty('electron-builder')
    expect(manifest.devDependencies).toHaveProperty('electron')
  })

  it('has a dist script that builds, then packages', () => {
    expect(manifest.scripts['dist']).toBe('electron-vite build && electron-builder')
  })
})
