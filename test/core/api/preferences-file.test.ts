import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MAX_URL_DRAFT_CHARS, preferencesSchema, type Preferences } from '../../../shared/api.ts'
import {
  createPreferencesFile,
  defaultPreferences,
  PREFERENCES_FILE,
  URL_DRAFT_FILE
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
    await Promise.all(Array.from({ length: 20 }, (_, i) => file.save({ ...PREFS, presetId: `preset-${i}` })))
    expect(await readdir(dir)).toEqual([PREFERENCES_FILE])
    expect((await open().load()).presetId).toBe('preset-19')
    // The in-memory copy answers at once.
    expect((await file.load()).presetId).toBe('preset-19')
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

describe('the URL list (draft) beside the preferences', () => {
  const LIST = Array.from({ length: 5_000 }, (_, i) => `https://shop.example/item-${i}`).join('\n')

  it('is saved to its own file and loads back in a new session; preferences stay small', async () => {
    const file = open()
    await file.save(PREFS)
    await file.saveUrlDraft(LIST)
    expect(await open().loadUrlDraft()).toBe(LIST)
    expect(await readFile(join(dir, URL_DRAFT_FILE), 'utf8')).toBe(LIST)
    const prefsText = await readFile(join(dir, PREFERENCES_FILE), 'utf8')
    expect(prefsText).not.toContain('shop.example')
    expect(prefsText.length).toBeLessThan(5_000)
    expect((await readdir(dir)).sort()).toEqual([PREFERENCES_FILE, URL_DRAFT_FILE].sort())
  })

  it('is empty when there is none, without complaining', async () => {
    expect(await open().loadUrlDraft()).toBe('')
    expect(logged).toEqual([])
  })

  it('refuses a list longer than the host keeps, saying the limit', async () => {
    const big = { length: MAX_URL_DRAFT_CHARS + 1 } as unknown as string
    await expect(open().saveUrlDraft(big)).rejects.toThrow(/at most 200,000,000 characters/)
  })

  it('moves the list out of an old preferences file: settings open, the list is the draft', async () => {
    const old = { ...PREFS, urlsText: LIST }
    await writeFile(join(dir, PREFERENCES_FILE), JSON.stringify(old, null, 2))
    const file = open()
    expect(await file.load()).toEqual(SAVED)
    expect(await file.loadUrlDraft()).toBe(LIST)
    // The old file was rewritten without the list, and nothing was set aside as corrupt.
    const rewritten = JSON.parse(await readFile(join(dir, PREFERENCES_FILE), 'utf8')) as object
    expect(rewritten).toEqual(SAVED)
    expect('urlsText' in rewritten).toBe(false)
    expect((await readdir(dir)).sort()).toEqual([PREFERENCES_FILE, URL_DRAFT_FILE].sort())
    expect(await open().loadUrlDraft()).toBe(LIST)
  })

  it('keeps a draft already there (newer) when an old preferences file still holds a list', async () => {
    await writeFile(join(dir, URL_DRAFT_FILE), 'https://newer.example/')
    await writeFile(join(dir, PREFERENCES_FILE), JSON.stringify({ theme: 'dark', urlsText: LIST }))
    const file = open()
    expect((await file.load()).theme).toBe('dark')
    expect(await file.loadUrlDraft()).toBe('https://newer.example/')
    expect(await readFile(join(dir, PREFERENCES_FILE), 'utf8')).not.toContain('urlsText')
  })

  it('drops an old list that is not text, and the settings still open', async () => {
    await writeFile(join(dir, PREFERENCES_FILE), JSON.stringify({ theme: 'light', urlsText: 42 }))
    const file = open()
    expect((await file.load()).theme).toBe('light')
    expect(await file.loadUrlDraft()).toBe('')
    expect((await readdir(dir)).filter((f) => f.includes('corrupt'))).toEqual([])
  })
})
