import { randomBytes } from 'node:crypto'
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { preferencesSchema, type Preferences } from '../../../shared/api.ts'
import { describeIssues } from '../../../shared/config.ts'

/**
 * Preferences persisted as JSON in `<dataDir>/preferences.json`.
 *
 * - Writes are atomic: a temp file in the same directory is written, synced and renamed over the
 *   old one, so a crash mid-write leaves the previous file, never half a file.
 * - Saves are serialised in call order, so the last save wins even when two overlap.
 * - A file that is not JSON or does not match the schema never stops the app: it is renamed to
 *   `preferences.json.corrupt-<epoch ms>` (kept for a bug report or a manual fix) and defaults are used.
 */

export const PREFERENCES_FILE = 'preferences.json'

export interface PreferencesFile {
  readonly path: string
  /** The saved preferences, or defaults; read once, then served from memory. */
  load(): Promise<Preferences>
  save(preferences: Preferences): Promise<void>
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
      const parsed = preferencesSchema.safeParse(JSON.parse(text))
      if (parsed.success) return parsed.data
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

  const write = async (preferences: Preferences): Promise<void> => {
    await mkdir(dataDir, { recursive: true })
    const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`
    try {
      const handle = await open(tmp, 'w', 0o600)
      try {
        await handle.writeFile(JSON.stringify(preferences, null, 2) + '\n', 'utf8')
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
    flush() {
      return writing
    }
  }
}
