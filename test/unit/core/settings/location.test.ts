// Without --config, the CLI reads the same settings file as the tray app on every OS.
import { homedir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { defaultSettingsDir } from '../../../../main/core/settings/store.ts'

describe('the default settings folder', () => {
  it("is Electron's userData for the app on Linux, honouring XDG_CONFIG_HOME", () => {
    expect(defaultSettingsDir({}, 'linux')).toBe(join(homedir(), '.config', 'scale-tray'))
    expect(defaultSettingsDir({ XDG_CONFIG_HOME: '/x/cfg' }, 'linux')).toBe('/x/cfg/scale-tray')
  })

  it('is Application Support on macOS and %APPDATA% on Windows, like the app', () => {
    expect(defaultSettingsDir({}, 'darwin')).toBe(
      join(homedir(), 'Library', 'Application Support', 'scale-tray')
    )
    expect(defaultSettingsDir({ APPDATA: 'C:\\Users\\op\\AppData\\Roaming' }, 'win32')).toBe(
      join('C:\\Users\\op\\AppData\\Roaming', 'scale-tray')
    )
  })

  it('can be moved with SCALE_TRAY_CONFIG_DIR', () => {
    expect(defaultSettingsDir({ SCALE_TRAY_CONFIG_DIR: '/srv/scale-tray' }, 'linux')).toBe(
      '/srv/scale-tray'
    )
  })
})
