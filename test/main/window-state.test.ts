import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  fitToDisplays,
  loadWindowState,
  parseWindowState,
  saveWindowState,
  trackWindowState,
  type Rect,
  type TrackedWindowLike,
  type WindowState
} from '../../electron/main/window-state.ts'

describe('parseWindowState', () => {
  it.each([
    [{ width: 1300, height: 900, x: 10, y: 20, maximized: true }, true],
    [{ width: 1300, height: 900 }, true],
    [{ width: 1300, height: 900, x: -1920, y: 0 }, true],
    [{ width: 1300, height: 900, x: 10 }, false],
    [{ width: 'wide', height: 900 }, false],
    [{ width: 1300.5, height: 900 }, false],
    [{ width: 50, height: 900 }, false],
    [{ width: 1e9, height: 900 }, false],
    [{ width: Number.NaN, height: 900 }, false],
    [{ width: 1300, height: 900, maximized: 'yes' }, false],
    [null, false],
    ['{}', false],
    [[], false]
  ])('%j valid: %s', (raw, valid) => {
    expect(parseWindowState(raw) !== null).toBe(valid)
  })

  it('defaults maximized to false', () => {
    expect(parseWindowState({ width: 1300, height: 900 })).toEqual({
      width: 1300,
      height: 900,
      maximized: false
    })
  })
})

describe('fitToDisplays', () => {
  const laptop: Rect = { x: 0, y: 0, width: 1440, height: 875 }
  const external: Rect = { x: 1440, y: -200, width: 2560, height: 1400 }
  const state = (x: number, y: number, width = 1280, height = 800): WindowState => ({
    x,
    y,
    width,
    height,
    maximized: false
  })

  it.each([
    ['fully on the laptop', state(50, 40), [laptop], true],
    ['on the external display', state(2000, 100), [laptop, external], true],
    ['external display unplugged', state(2000, 100), [laptop], false],
    ['title bar above the top edge', state(50, -10), [laptop], false],
    ['title bar below the bottom edge', state(50, 860), [laptop], false],
    ['only 50 px visible on the right', state(1390, 40), [laptop], false],
    ['120 px visible on the right', state(1320, 40), [laptop], true],
    ['mostly off to the left, 100 px left', state(-1180, 40), [laptop], true]
  ])('%s → keeps position: %s', (_name, saved, areas, kept) => {
    const fitted = fitToDisplays(saved, areas)
    expect(fitted.x !== undefined).toBe(kept)
    expect(fitted.x === undefined).toBe(fitted.y === undefined)
  })

  it('shrinks a window larger than every display', () => {
    const fitted = fitToDisplays(state(0, 0, 3000, 2000), [laptop])
    expect(fitted).toMatchObject({ width: 1440, height: 875 })
  })

  it('keeps size and maximized without a position when no display is known', () => {
    expect(fitToDisplays({ ...state(10, 10), maximized: true }, [])).toEqual({
      width: 1280,
      height: 800,
      maximized: true
    })
  })
})

describe('load and save', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'crawlboard-window-state-'))
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('round-trips through an atomic write, leaving no temporary file', async () => {
    const file = join(dir, 'window-state.json')
    const saved: WindowState = { x: 5, y: 6, width: 1300, height: 900, maximized: true }
    saveWindowState(file, saved)
    expect(await loadWindowState(file)).toEqual(saved)
    expect(await readdir(dir)).toEqual(['window-state.json'])
  })

  it('returns null for a missing file, and ignores a corrupt or invalid one', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const file = join(dir, 'window-state.json')
    expect(await loadWindowState(file)).toBeNull()
    await writeFile(file, '{"width": 1300, "hei')
    expect(await loadWindowState(file)).toBeNull()
    await writeFile(file, JSON.stringify({ width: -5, height: 900 }))
    expect(await loadWindowState(file)).toBeNull()
    expect(warn).toHaveBeenCalledTimes(2)
    warn.mockRestore()
  })

  it('overwrites the previous state', async () => {
    const file = join(dir, 'window-state.json')
    saveWindowState(file, { width: 1100, height: 700, maximized: false })
    saveWindowState(file, { width: 1200, height: 750, maximized: true })
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ width: 1200, height: 750, maximized: true })
  })
})

describe('trackWindowState', () => {
  function fakeWindow() {
    const listeners = new Map<string, (() => void)[]>()
    let bounds: Rect = { x: 10, y: 20, width: 1280, height: 800 }
    let maximized = false
    const window: TrackedWindowLike = {
      on: (event, listener) => {
        listeners.set(event, [...(listeners.get(event) ?? []), listener])
      },
      getNormalBounds: () => bounds,
      isMaximized: () => maximized
    }
    const emit = (event: string): void => {
      for (const listener of listeners.get(event) ?? []) listener()
    }
    return {
      window,
      emit,
      set: (next: Rect, max = false) => {
        bounds = next
        maximized = max
      }
    }
  }

  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('saves once after moves settle, and immediately on close', () => {
    const fake = fakeWindow()
    const save = vi.fn()
    trackWindowState(fake.window, save, 500)
    fake.set({ x: 11, y: 20, width: 1280, height: 800 })
    fake.emit('move')
    vi.advanceTimersByTime(300)
    fake.set({ x: 12.4, y: 20.6, width: 1300, height: 820 })
    fake.emit('resize')
    vi.advanceTimersByTime(499)
    expect(save).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(save).toHaveBeenCalledExactlyOnceWith({ x: 12, y: 21, width: 1300, height: 820, maximized: false })

    fake.set({ x: 12, y: 21, width: 1300, height: 820 }, true)
    fake.emit('maximize')
    fake.emit('close')
    expect(save).toHaveBeenCalledTimes(2)
    expect(save).toHaveBeenLastCalledWith({ x: 12, y: 21, width: 1300, height: 820, maximized: true })
    vi.advanceTimersByTime(1_000)
    expect(save).toHaveBeenCalledTimes(2)
  })

  it('a failing save is logged, not thrown into the close handler', () => {
    const fake = fakeWindow()
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    trackWindowState(fake.window, () => {
      throw new Error('EACCES')
    })
    expect(() => {
      fake.emit('close')
    }).not.toThrow()
    expect(warn).toHaveBeenCalledOnce()
    warn.mockRestore()
  })
})
