// Electron shell: the application menu — copy and paste in forms (macOS needs the Edit menu for
// the shortcuts), zoom, Settings and Quit (the only way to quit where there is no tray).
import type { MenuItemConstructorOptions } from 'electron'
import { PRODUCT_NAME } from './constants.ts'

export interface AppMenuActions {
  openSettings(): void
  refreshAll(): void
  quit(): void
}

export function appMenuTemplate(
  platform: NodeJS.Platform,
  actions: AppMenuActions,
  dev: boolean
): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin'
  const settings: MenuItemConstructorOptions = {
    label: 'Settings…',
    accelerator: 'CmdOrCtrl+,',
    click: () => actions.openSettings()
  }
  const refresh: MenuItemConstructorOptions = {
    label: 'Refresh all',
    accelerator: 'CmdOrCtrl+R',
    click: () => actions.refreshAll()
  }
  // Quit through our action (it stops polling and saves), not a role.
  const quit: MenuItemConstructorOptions = {
    label: mac ? `Quit ${PRODUCT_NAME}` : 'Quit',
    accelerator: 'CmdOrCtrl+Q',
    click: () => actions.quit()
  }
  const view: MenuItemConstructorOptions[] = [
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' }
  ]
  if (dev)
    view.push(
      { type: 'separator' },
      { role: 'reload', accelerator: 'CmdOrCtrl+Shift+R' },
      { role: 'toggleDevTools' }
    )
  const edit: MenuItemConstructorOptions = {
    label: 'Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' }
    ]
  }
  if (mac) {
    return [
      {
        label: PRODUCT_NAME,
        submenu: [
          { role: 'about' },
          { type: 'separator' },
          settings,
          { type: 'separator' },
          { role: 'hide' },
          { role: 'hideOthers' },
          { role: 'unhide' },
          { type: 'separator' },
          quit
        ]
      },
      { label: 'File', submenu: [refresh, { type: 'separator' }, { role: 'close' }] },
      edit,
      { label: 'View', submenu: view },
      { role: 'windowMenu' }
    ]
  }
  return [
    {
      label: 'File',
      submenu: [
        refresh,
        settings,
        { type: 'separator' },
        { label: 'Close window', accelerator: 'Ctrl+W', role: 'close' },
        quit
      ]
    },
    edit,
    { label: 'View', submenu: view }
  ]
}
