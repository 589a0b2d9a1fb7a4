import { randomBytes } from 'node:crypto'
import { access, mkdir, open, readFile, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { MAX_URL_DRAFT_CHARS, preferencesSchema, type Preferences } from '../../../shared/api.ts'
import { describeIssues } from '../../../shared/config.ts'

/**
 * Preferences persisted as JSON in `<dataDir>/preferences.json`.
 *
 * - Writes are atomic: a temp file in the same directory is written, synced and renamed over the
 *   old one, so a crash mid-write leaves the previous file, never half a file.
 * - Saves are serialised in call order, so the last save wins even when two overlap.
 * - A file that is not JSON or does not match the schema never stops the app: it is renamed to
 *   `preferences.json.corrupt-<epoch ms>` (kept for a bug report or a manual fix) and defaults are used.
 *
 * Setup's URL list (the draft) is kept beside it in `<dataDir>/url-draft.txt`, as plain text and
 * written the same atomic way, so the preferences stay a few hundred bytes however long the list.
 * Older versions kept the list in preferences.json as `urlsText`: such a file still opens; its list
 * moves to the draft file (unless a draft is already there, which is newer) and preferences.json is
 * rewritten without it.
 */

export const PREFERENCES_FILE = 'preferences.json'
export const URL_DRAFT_FILE = 'url-draft.txt'

export interface PreferencesFile {
  readonly path: string
  /** The saved preferences, or defaults; read once, then served from memory. */
  load(): Promise<Preferences>
  save(preferences: Preferences): Promise<void>
  /** The URL list Setup was left with ('' when none). */
  loadUrlDraft(): Promise<string>
  saveUrlDraft(text: string): Promise<void>
  /** Waits for saves in progress. */
  flush(): Promise<void>
}

export interface PreferencesFileOptions {
  readonly log?: (message: string) => void
  readonly now?: () => number
}

export function defaultPreferences(): Preferences {
  return preferencesSchema.parse({})
}

export function createPreferencesFile(
  dataDir: string,
  options: PreferencesFileOptions = {}
): PreferencesFile {
  const path = join(dataDir, PREFERENCES_FILE)
  const log =
    options.log ??
    ((message: string) => {
      console.warn(`crawlboard: ${message}`)
    })
  const now = options.now ?? Date.now
  let current: Promise<Preferences> | null = null
  let writing: Promise<void> = Promise.resolve()

  const read = async (): Promise<Preferences> => {
    let text: string
    try {
      text = await readFile(path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        log(`could not read ${path} (${(error as Error).message}); using default preferences`)
      }
      return defaultPreferences()
    }
    let reason: string
    try {
      const json: unknown = JSON.parse(text)
      const { value, urlsText } = withoutUrlList(json)
      const parsed = preferencesSchema.safeParse(value)
      if (parsed.success) {
        if (urlsText !== undefined) await migrateUrlList(urlsText, parsed.data)
        return parsed.data
      }
      reason = describeIssues(parsed.error.issues).slice(0, 3).join('; ')
    } catch (error) {
      reason = `not JSON: ${(error as Error).message}`
    }
    const kept = `${path}.corrupt-${now()}`
    try {
      await rename(path, kept)
      log(`${path} was unreadable (${reason}); kept it as ${kept} and using default preferences`)
    } catch (error) {
      log(`${path} was unreadable (${reason}) and could not be moved aside: ${(error as Error).message}`)
    }
    return defaultPreferences()
  }

  const write = (preferences: Preferences): Promise<void> =>
    writeAtomically(dataDir, path, JSON.stringify(preferences, null, 2) + '\n')

  const draftPath = join(dataDir, URL_DRAFT_FILE)
  let draft: Promise<string> | null = null
  let writingDraft: Promise<void> = Promise.resolve()

  const readDraft = async (): Promise<string> => {
    // A list moved out of an old preferences file lands in the draft file first.
    await (current ??= read())
    try {
      return await readFile(draftPath, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        log(`could not read ${draftPath} (${(error as Error).message}); Setup starts with no URLs`)
      }
      return ''
    }
  }

  /** An old preferences file's list: into the draft file (when none is there), then out of preferences. */
  const migrateUrlList = async (urlsText: string, preferences: Preferences): Promise<void> => {
    try {
      const hasDraft = await access(draftPath).then(
        () => true,
        () => false
      )
      if (!hasDraft && urlsText !== '') await writeAtomically(dataDir, draftPath, urlsText)
      await write(preferences)
      log(`moved the URL list out of ${path} into ${draftPath}`)
    } catch (error) {
      // Settings still load; the old file stays as it was and is migrated next time.
      log(`could not move the URL list out of ${path}: ${(error as Error).message}`)
    }
  }

  return {
    path,
    load() {
      current ??= read()
      return current
    },
    save(preferences) {
      // Validated again here: the file must never hold what load() would then throw away.
      const parsed = preferencesSchema.safeParse(preferences)
      if (!parsed.success) {
        const issues = describeIssues(parsed.error.issues).join('; ')
        return Promise.reject(new Error(`Invalid preferences: ${issues}`))
      }
      const value = parsed.data
      current = Promise.resolve(value)
      const next = writing.then(() => write(value))
      // The chain continues after a failed write; this caller still sees the failure.
      writing = next.catch(() => undefined)
      return next
    },
    loadUrlDraft() {
      draft ??= readDraft()
      return draft
    },
    saveUrlDraft(text) {
      if (typeof text !== 'string' || text.length > MAX_URL_DRAFT_CHARS) {
        return Promise.reject(
          new Error(
            `Invalid URL list: at most ${MAX_URL_DRAFT_CHARS.toLocaleString('en')} characters are kept`
          )
        )
      }
      draft = Promise.resolve(text)
      const next = writingDraft.then(() => writeAtomically(dataDir, draftPath, text))
      writingDraft = next.catch(() => undefined)
      return next
    },
    async flush() {
      await Promise.all([writing, writingDraft])
    }
  }
}

/** `json` without an old version's `urlsText` (the list), and that list when it was a string. */
function withoutUrlList(json: unknown): { value: unknown; urlsText: string | undefined } {
  if (typeof json !== 'object' || json === null || Array.isArray(json) || !('urlsText' in json)) {
    return { value: json, urlsText: undefined }
  }
  const { urlsText, ...rest } = json as Record<string, unknown>
  return { value: rest, urlsText: typeof urlsText === 'string' ? urlsText : '' }
}

/** Writes a temp file in the same directory, syncs it and renames it over `path`. */
async function writeAtomically(dir: string, path: string, text: string): Promise<void> {
  await mkdir(dir, { recursive: true })
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`
  try {
    const handle = await open(tmp, 'w', 0o600)
    try {
      await handle.writeFile(text, 'utf8')
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(tmp, path)
  } catch (error) {
    await rm(tmp, { force: true })
    throw error
  }
}
