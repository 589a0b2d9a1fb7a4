import type { MenuItemConstructorOptions } from 'electron'
import type { MenuCommand } from '../../shared/menu.ts'

/**
 * The application menu. Items that act on the dashboard only send a MenuCommand to the focused
 * window; the renderer decides what it means in its state. Reload and developer tools exist in
 * development only: in a packaged app a reload mid-run is an accident, and devtools a way in.
 */

/**
 * Shortcuts. Cmd/Ctrl+Enter is the run's primary action, as in most "submit" forms; pause takes
 * the shifted variant so the pair sits under one hand and neither shadows a standard edit or
 * window shortcut (Cmd/Ctrl+P is left alone for print conventions).
 */
export const MENU_ACCELERATORS = {
  'new-run': 'CmdOrCtrl+N',
  'open-run': 'CmdOrCtrl+O',
  export: 'CmdOrCtrl+E',
  'toggle-run': 'CmdOrCtrl+Enter',
  'pause-resume': 'CmdOrCtrl+Shift+Enter'
} as const satisfies Record<MenuCommand, string>

export interface MenuOptions {
  readonly isMac: boolean
  readonly isDev: boolean
  readonly appName: string
  send(command: MenuCommand): void
  showAbout(): void
}

export function menuTemplate(options: MenuOptions): MenuItemConstructorOptions[] {
  const { isMac, isDev, appName } = options
  const command = (label: string, name: MenuCommand): MenuItemConstructorOptions => ({
    label,
    accelerator: MENU_ACCELERATORS[name],
    click: () => {
      options.send(name)
    }
  })
  const separator: MenuItemConstructorOptions = { type: 'separator' }
  const about: MenuItemConstructorOptions = {
    label: `About ${appName}`,
    click: () => {
      options.showAbout()
    }
  }

  const appMenu: MenuItemConstructorOptions[] = isMac
    ? [
        {
          label: appName,
          submenu: [
            about,
            separator,
            { role: 'services' },
            separator,
            { role: 'hide' },
            { role: 'hideOthers' },
            { role: 'unhide' },
            separator,
            { role: 'quit' }
          ]
        }
      ]
    : []

  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      command('New Run', 'new-run'),
      command('Open Run…', 'open-run'),
      separator,
      command('Export…', 'export'),
      separator,
      isMac ? { role: 'close' } : { role: 'quit' }
    ]
  }

  // Without the edit roles macOS has no copy/paste shortcuts in text fields at all.
  const edit: MenuItemConstructorOptions = {
    label: 'Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      separator,
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'delete' },
      separator,
      { role: 'selectAll' }
    ]
  }

  const run: MenuItemConstructorOptions = {
    label: 'Run',
    submenu: [command('Start / Stop', 'toggle-run'), command('Pause / Resume', 'pause-resume')]
  }

  const developer: MenuItemConstructorOptions[] = isDev
    ? [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, separator]
    : []
  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      ...developer,
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      separator,
      { role: 'togglefullscreen' }
    ]
  }

  const windowMenu: MenuItemConstructorOptions[] = isMac ? [{ role: 'windowMenu' }] : []
  const help: MenuItemConstructorOptions = { role: 'help', submenu: [about] }

  return [...appMenu, file, edit, run, view, ...windowMenu, help]
}
