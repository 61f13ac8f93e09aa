// `npm run dist [linux|mac|win]`: how to build Scale Tray's packages on each platform. Packaging
// needs the target's Electron binary (downloaded by electron-builder) and, for signed builds, the
// platform's tools, so it does not run here; this script checks what it can instead — the
// electron-builder.yml schema, the app id against the shell's, the icons — and prints the steps.
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { APP_ID } from '../main/electron/constants.ts'

const root = join(import.meta.dirname, '..')
const require = createRequire(join(root, 'package.json'))
const version = (
  JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }
).version
const only = process.argv[2]
const problems: string[] = []

interface BuilderConfig {
  appId?: string
  electronFuses?: Record<string, boolean>
}
interface ConfigModule {
  getConfig: (
    projectDir: string,
    configPath: string | null,
    configFromOptions: unknown
  ) => Promise<BuilderConfig>
  validateConfiguration: (config: BuilderConfig, debugLogger: unknown) => Promise<void>
}

async function checkConfig(): Promise<BuilderConfig | undefined> {
  try {
    const { getConfig, validateConfiguration } =
      require('app-builder-lib/out/util/config/config.js') as ConfigModule
    const { DebugLogger } = require('builder-util') as {
      DebugLogger: new (enabled: boolean) => unknown
    }
    const config = await getConfig(root, null, null)
    await validateConfiguration(config, new DebugLogger(false))
    return config
  } catch (err) {
    problems.push(`electron-builder.yml: ${(err as Error).message}`)
    return undefined
  }
}

const config = await checkConfig()
if (config && config.appId !== APP_ID)
  problems.push(
    `electron-builder.yml appId ${config.appId ?? '(none)'} differs from APP_ID ${APP_ID} in main/electron/constants.ts (toasts and the tray GUID depend on it)`
  )
for (const f of [
  'assets/icon.png',
  'assets/icon.ico',
  'assets/icons/256x256.png',
  'assets/tray/ok.ico',
  'assets/tray/okTemplate.png',
  'assets/tray/ok-22.png',
  'assets/mac/entitlements.mac.plist'
]) {
  if (!existsSync(join(root, f))) problems.push(`${f} is missing (npm run icons)`)
}
const fuses = config?.electronFuses ?? {}
const hardened =
  fuses.runAsNode === false &&
  fuses.enableNodeOptionsEnvironmentVariable === false &&
  fuses.enableNodeCliInspectArguments === false &&
  fuses.enableEmbeddedAsarIntegrityValidation === true &&
  fuses.onlyLoadAppFromAsar === true
if (config && !hardened)
  problems.push(
    'electronFuses: runAsNode, NODE_OPTIONS and --inspect must be off, asar integrity and onlyLoadAppFromAsar on'
  )

const sections: Record<string, string> = {
  linux: `Linux — AppImage and deb (on Linux, x64 or arm64)
  npm ci && npm run dist:linux
  → release/scale-tray-${version}-x86_64.AppImage, release/scale-tray_${version}_amd64.deb
  electron-builder downloads Electron and its tools (fpm for the deb) from GitHub; offline, point
  ELECTRON_MIRROR / ELECTRON_BUILDER_BINARIES_MIRROR at a mirror or fill ~/.cache/electron first.
  Install: sudo apt install ./release/scale-tray_${version}_amd64.deb, or chmod +x the AppImage.
  The deb depends on libsecret-1-0 (tokens encrypted in GNOME Keyring / KWallet). GNOME users
  need the AppIndicator extension for the tray icon (gnome-shell-extension-appindicator).`,
  mac: `macOS — dmg (on a Mac with the Xcode command line tools)
  npm ci && npm run dist:mac
  → release/Scale Tray-${version}-arm64.dmg and -x64.dmg, hardened runtime (assets/mac/entitlements.mac.plist)
  Signing: a "Developer ID Application" certificate in the login keychain, or CSC_LINK (a .p12,
  base64 or path) + CSC_KEY_PASSWORD. Notarisation runs when APPLE_API_KEY, APPLE_API_KEY_ID and
  APPLE_API_ISSUER (or APPLE_ID, APPLE_APP_SPECIFIC_PASSWORD, APPLE_TEAM_ID) are set.
  Unsigned (CSC_IDENTITY_AUTO_DISCOVERY=false) builds run after "Open" from the context menu, but
  recent macOS shows no notifications for them: sign anything you hand to users.`,
  win: `Windows — NSIS installer, per user (on Windows; or Linux with Wine for an unsigned build)
  npm ci && npm run dist:win
  → release/Scale Tray-Setup-${version}-x64.exe (and -arm64)
  Signing: CSC_LINK (.pfx) + CSC_KEY_PASSWORD, or signtoolOptions / azureSignOptions in
  electron-builder.yml. Sign before the first release: SmartScreen warns about unsigned
  installers, and the tray icon's GUID is tied to the signature (or, unsigned, to the install path).
  The Start Menu shortcut carries the AppUserModelID ${APP_ID}: toasts need it, so test
  notifications from the installed app, not from "npm start".`
}

console.log(`Scale Tray ${version} — packaging (electron-builder.yml, output in release/)\n`)
console.log(
  'Every package first runs "npm run build" (dist/renderer + dist/electron); "npm run audit:electron" should pass before a release.\n'
)
for (const [k, text] of Object.entries(sections)) if (!only || only === k) console.log(`${text}\n`)
if (problems.length > 0) {
  console.error(`Problems to fix before packaging:\n${problems.map((p) => `  ✗ ${p}`).join('\n')}`)
  process.exitCode = 1
} else
  console.log(
    `Checked: electron-builder.yml is valid, appId = ${APP_ID}, fuses hardened, icons present.`
  )
