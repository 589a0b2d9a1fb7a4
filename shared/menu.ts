/**
 * Application menu commands that act in the renderer. Main owns the native menu and its
 * shortcuts; when an item fires it sends one of these to the focused window, and the renderer
 * decides what it means in its current state (e.g. 'toggle-run' starts a run when idle and stops
 * it when running). Additive to the CrawlerApi contract: the preload exposes it as a separate
 * `window.crawlerMenu`, so `window.crawler` stays exactly the CrawlerApi.
 *
 * Zod-free on purpose: the sandboxed preload bundles this file (see electron/preload/bridge.ts).
 */

export const MENU_CHANNEL = 'crawler:menu'

export const MENU_COMMANDS = ['new-run', 'open-run', 'export', 'toggle-run', 'pause-resume'] as const
export type MenuCommand = (typeof MENU_COMMANDS)[number]

export const isMenuCommand = (value: unknown): value is MenuCommand =>
  typeof value === 'string' && (MENU_COMMANDS as readonly string[]).includes(value)

/** What the preload exposes as `window.crawlerMenu` (absent in the browser host). */
export interface CrawlerMenuApi {
  /** Receives every menu command sent to this window; returns the unsubscribe function. */
  onCommand(listener: (command: MenuCommand) => void): () => void
}
