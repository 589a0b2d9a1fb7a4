import { useEffect } from 'react'
import { useSettingsStore, type ThemeChoice } from '../stores/settings-store.ts'

const CACHE_KEY = 'crawlboard.theme'
const DARK = '(prefers-color-scheme: dark)'

function resolve(choice: ThemeChoice): 'light' | 'dark' {
  if (choice !== 'system') return choice
  return window.matchMedia(DARK).matches ? 'dark' : 'light'
}

function apply(choice: ThemeChoice): void {
  const resolved = resolve(choice)
  document.documentElement.dataset.theme = resolved
  document.documentElement.dataset.themeChoice = choice
}

/**
 * Before the first render: the last choice from localStorage, so a dark-theme person does not see
 * a white flash while preferences load (an inline script would do this earlier, but the CSP
 * forbids inline scripts).
 */
export function applyCachedTheme(): void {
  let cached: ThemeChoice = 'system'
  try {
    const v = localStorage.getItem(CACHE_KEY)
    if (v === 'light' || v === 'dark') cached = v
  } catch {
    // No storage: follow the OS.
  }
  apply(cached)
}

/** Keeps data-theme on <html> in step with the choice, and with the OS while the choice is "system". */
export function useThemeSync(): void {
  const theme = useSettingsStore((s) => s.theme)
  const loaded = useSettingsStore((s) => s.loaded)
  useEffect(() => {
    if (!loaded) return
    apply(theme)
    try {
      localStorage.setItem(CACHE_KEY, theme)
    } catch {
      // Only the flash-free start is lost.
    }
    if (theme !== 'system') return
    const mq = window.matchMedia(DARK)
    const onChange = (): void => {
      apply('system')
    }
    mq.addEventListener('change', onChange)
    return () => {
      mq.removeEventListener('change', onChange)
    }
  }, [theme, loaded])
}
