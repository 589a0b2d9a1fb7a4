import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { preferencesSchema, type Preferences } from '../../../shared/api.ts'
import {
  createPreferencesFile,
  defaultPreferences,
  PREFERENCES_FILE
} from '../../../electron/core/api/preferences-file.ts'

let dir: string
let logged: string[]
const open = () =>
  createPreferencesFile(dir, {
    log: (m) => logged.push(m),
    now: () => 1_700_000_000_000
  })

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crawlboard-prefs-'))
  logged = []
})

afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

const PREFS: Preferences = {
  config: { concurrency: 12, userAgent: 'Test/1' },
  presetId: 'polite',
  urlsText: 'https://example.com/\nhttps://example.org/',
  demoOffered: true,
  theme: 'dark'
}

/**
 * What a save reads back as: the contract's schema fills every run setting's default into `config`
 * (runConfigSchema.partial() keeps the inner defaults in zod 4).
 */
const SAVED = preferencesSchema.parse(PREFS)

describe('preferences file', () => {
  it('gives defaults when there is no file yet, without complaining', async () => {
    expect(await open().load()).toEqual(defaultPreferences())
    expect(defaultPreferences()).toEqual({
      config: {},
      presetId: null,
      urlsText: '',
      demoOffered: false,
      theme: 'system'
    })
    expect(logged).toEqual([])
  })

  it('saves and loads back in a new session, creating the directory', async () => {
    dir = join(dir, 'nested', 'data')
    await open().save(PREFS)
    expect(await open().load()).toEqual(SAVED)
    expect(JSON.parse(await readFile(join(dir, PREFERENCES_FILE), 'utf8'))).toEqual(SAVED)
    expect(SAVED.config.concurrency).toBe(12)
  })

  it('writes atomically: no temp file is left behind, and the last of overlapping saves wins', async () => {
    const file = open()
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => file.save({ ...PREFS, urlsText: `https://e${i}.test/` }))
    )
    expect(await readdir(dir)).toEqual([PREFERENCES_FILE])
    expect((await open().load()).urlsText).toBe('https://e19.test/')
    // The in-memory copy answers at once.
    expect((await file.load()).urlsText).toBe('https://e19.test/')
  })

  it.each([
    { name: 'not JSON', text: '{"theme": "dark",' },
    { name: 'an invalid value', text: JSON.stringify({ theme: 'purple' }) },
    { name: 'an unknown key', text: JSON.stringify({ theme: 'dark', warp: 9 }) },
    { name: 'an out-of-range setting', text: JSON.stringify({ config: { concurrency: -5 } }) },
    { name: 'not an object', text: '[1, 2]' }
  ])('keeps a corrupt file ($name) aside and uses defaults', async ({ text }) => {
    await writeFile(join(dir, PREFERENCES_FILE), text)
    expect(await open().load()).toEqual(defaultPreferences())
    const kept = `${PREFERENCES_FILE}.corrupt-1700000000000`
    expect(await readdir(dir)).toEqual([kept])
    expect(await readFile(join(dir, kept), 'utf8')).toBe(text)
    expect(logged).toHaveLength(1)
    expect(logged[0]).toContain(kept)
    // The next save starts a fresh, valid file.
    await open().save(PREFS)
    expect(await open().load()).toEqual(SAVED)
  })

  it('refuses to write what it could not read back', async () => {
    const bad = { ...PREFS, theme: 'neon' } as unknown as Preferences
    await expect(open().save(bad)).rejects.toThrow(/Invalid preferences: theme: /)
    expect(await readdir(dir)).toEqual([])
  })
})
