import { readFile } from 'node:fs/promises'
import { renameSync, writeFileSync } from 'node:fs'
import { z } from 'zod'

/**
 * The main window's size, position and maximized flag, remembered in userData between launches.
 * The file is validated on load (it may be hand-edited, truncated or from another version), and a
 * position that no longer lands on any display (a monitor was unplugged) is dropped so the window
 * opens centred instead of invisible.
 */

export interface Rect {
  readonly x: number
  readonly y: number
  readonly width: number
  readonly height: number
}

const coordinate = z.number().int().min(-100_000).max(100_000)
const length = z.number().int().min(100).max(100_000)

const windowStateSchema = z
  .object({
    width: length,
    height: length,
    x: coordinate.optional(),
    y: coordinate.optional(),
    maximized: z.boolean().default(false)
  })
  .refine((state) => (state.x === undefined) === (state.y === undefined), 'x and y come together')

export type WindowState = z.output<typeof windowStateSchema>

export const WINDOW_STATE_FILE = 'window-state.json'

/** A valid state, or null for anything else. */
export function parseWindowState(raw: unknown): WindowState | null {
  const parsed = windowStateSchema.safeParse(raw)
  return parsed.success ? parsed.data : null
}

/** The title bar must be on a display, with this much of its width, for the window to be usable. */
const TITLE_BAR_HEIGHT_PX = 32
const MIN_VISIBLE_WIDTH_PX = 100

function grabbable(window: Rect, area: Rect): boolean {
  const left = Math.max(window.x, area.x)
  const right = Math.min(window.x + window.width, area.x + area.width)
  return (
    right - left >= MIN_VISIBLE_WIDTH_PX &&
    window.y >= area.y &&
    window.y + TITLE_BAR_HEIGHT_PX <= area.y + area.height
  )
}

/**
 * Fits a remembered state to the displays present now (their work areas): keeps the position only
 * when the title bar can be grabbed on some display, and never makes the window larger than the
 * largest display.
 */
export function fitToDisplays(state: WindowState, workAreas: readonly Rect[]): WindowState {
  if (workAreas.length === 0) return { width: state.width, height: state.height, maximized: state.maximized }
  const width = Math.min(state.width, Math.max(...workAreas.map((area) => area.width)))
  const height = Math.min(state.height, Math.max(...workAreas.map((area) => area.height)))
  const { x, y } = state
  if (
    x !== undefined &&
    y !== undefined &&
    workAreas.some((area) => grabbable({ x, y, width, height }, area))
  ) {
    return { width, height, x, y, maximized: state.maximized }
  }
  return { width, height, maximized: state.maximized }
}

/** The saved state, or null when there is none or it is unusable. */
export async function loadWindowState(file: string): Promise<WindowState | null> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch {
    return null
  }
  try {
    const state = parseWindowState(JSON.parse(text))
    if (state === null) console.warn(`window-state: ignoring invalid ${file}`)
    return state
  } catch {
    console.warn(`window-state: ignoring unreadable ${file}`)
    return null
  }
}

/**
 * Writes through a temporary file and a rename, so a crash mid-write leaves the previous state
 * rather than half a JSON document. Synchronous on purpose: the last save happens on window close,
 * moments before the process exits.
 */
export function saveWindowState(file: string, state: WindowState): void {
  const temporary = `${file}.tmp`
  writeFileSync(temporary, `${JSON.stringify(state)}\n`, 'utf8')
  renameSync(temporary, file)
}

export interface TrackedWindowLike {
  on(event: 'resize' | 'move' | 'maximize' | 'unmaximize' | 'close', listener: () => void): unknown
  getNormalBounds(): Rect
  isMaximized(): boolean
}

/** Saves the window's state shortly after it settles and once more as it closes. */
export function trackWindowState(
  window: TrackedWindowLike,
  save: (state: WindowState) => void,
  debounceMs = 500
): void {
  let timer: ReturnType<typeof setTimeout> | undefined
  const snapshot = (): WindowState => {
    // Normal bounds: what the window returns to when unmaximized, so a maximized window
    // remembers its restore size too.
    // Rounded: fractional bounds can appear with display scaling, and the schema wants integers.
    const bounds = window.getNormalBounds()
    return {
      x: Math.round(bounds.x),
      y: Math.round(bounds.y),
      width: Math.round(bounds.width),
      height: Math.round(bounds.height),
      maximized: window.isMaximized()
    }
  }
  const flush = (): void => {
    clearTimeout(timer)
    timer = undefined
    try {
      save(snapshot())
    } catch (error) {
      console.warn('window-state: could not save', error)
    }
  }
  const schedule = (): void => {
    clearTimeout(timer)
    timer = setTimeout(flush, debounceMs)
  }
  for (const event of ['resize', 'move', 'maximize', 'unmaximize'] as const) window.on(event, schedule)
  window.on('close', flush)
}
