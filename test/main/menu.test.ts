import { describe, expect, it, vi } from 'vitest'
import { MENU_COMMANDS, type MenuCommand } from '../../shared/menu.ts'
import { MENU_ACCELERATORS, menuTemplate, type MenuOptions } from '../../electron/main/menu.ts'

type MenuItemConstructorOptions = ReturnType<typeof menuTemplate>[number]

function build(overrides: Partial<MenuOptions> = {}) {
  const send = vi.fn<(command: MenuCommand) => void>()
  const showAbout = vi.fn()
  const template = menuTemplate({
    isMac: false,
    isDev: false,
    appName: 'Crawlboard',
    send,
    showAbout,
    ...overrides
  })
  return { template, send, showAbout }
}

function flatten(items: readonly MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? flatten(item.submenu) : [])])
}

const roles = (items: readonly MenuItemConstructorOptions[]): string[] =>
  flatten(items).flatMap((item) => (item.role === undefined ? [] : [item.role]))

const click = (item: MenuItemConstructorOptions): void => {
  ;(item.click as () => void)()
}

describe('menuTemplate', () => {
  it('has File, Edit, Run, View and Help on Windows and Linux', () => {
    expect(build().template.map((item) => item.label ?? item.role)).toEqual([
      'File',
      'Edit',
      'Run',
      'View',
      'help'
    ])
  })

  it('adds the app and Window menus on macOS, and closes rather than quits from File', () => {
    const { template } = build({ isMac: true })
    expect(template.map((item) => item.label ?? item.role)).toEqual([
      'Crawlboard',
      'File',
      'Edit',
      'Run',
      'View',
      'windowMenu',
      'help'
    ])
    const file = template[1]!.submenu as MenuItemConstructorOptions[]
    expect(roles(file)).toEqual(['close'])
    expect(roles([template[0]!])).toContain('quit')
  })

  it('sends each command with its accelerator', () => {
    const { template, send } = build()
    const items = flatten(template).filter((item) => item.accelerator !== undefined)
    expect(items.map((item) => item.accelerator).sort()).toEqual(Object.values(MENU_ACCELERATORS).sort())
    for (const item of items) click(item)
    expect(send.mock.calls.map(([command]) => command).sort()).toEqual([...MENU_COMMANDS].sort())
  })

  it('uses distinct accelerators that leave the standard edit shortcuts alone', () => {
    const accelerators = Object.values(MENU_ACCELERATORS)
    expect(new Set(accelerators).size).toBe(accelerators.length)
    for (const reserved of [
      'CmdOrCtrl+C',
      'CmdOrCtrl+V',
      'CmdOrCtrl+X',
      'CmdOrCtrl+Z',
      'CmdOrCtrl+A',
      'CmdOrCtrl+Q',
      'CmdOrCtrl+W',
      'CmdOrCtrl+R'
    ]) {
      expect(accelerators).not.toContain(reserved)
    }
  })

  it('has reload and devtools in development only', () => {
    const production = roles(build({ isDev: false }).template)
    const development = roles(build({ isDev: true }).template)
    for (const role of ['reload', 'forceReload', 'toggleDevTools']) {
      expect(production).not.toContain(role)
      expect(development).toContain(role)
    }
    expect(production).toEqual(expect.arrayContaining(['resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen']))
  })

  it('has the edit roles (macOS has no copy/paste without them)', () => {
    expect(roles(build({ isMac: true }).template)).toEqual(
      expect.arrayContaining(['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll'])
    )
  })

  it('Help → About shows the about box', () => {
    const { template, showAbout } = build()
    const help = template.at(-1)!.submenu as MenuItemConstructorOptions[]
    expect(help[0]!.label).toBe('About Crawlboard')
    click(help[0]!)
    expect(showAbout).toHaveBeenCalledOnce()
  })
})
