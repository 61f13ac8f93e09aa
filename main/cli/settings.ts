// Electron-free: `scale-tray settings export|import`, moving settings between machines without
// their secrets (tokens, passwords and passphrases never leave the secret store).
import fs from 'node:fs'
import path, { dirname, join } from 'node:path'
import { isDeepStrictEqual } from 'node:util'
import { readSmallFile } from '../core/files.ts'
import { FileSecretStore, writeFileAtomic, type SecretStore } from '../core/settings/secrets.ts'
import {
  backUpSettings,
  decodeSettingsBytes,
  describeProblem,
  openSettingsStore,
  secretsPathFor,
  type LoadResult,
  type SettingsStore
} from '../core/settings/store.ts'
import { exportSettings, importSettings, readImportFile } from '../core/settings/transfer.ts'
import { checkConfigArg, fileError, parseCommand, UsageError, type Io } from './common.ts'

export const SETTINGS_USAGE = `Usage: scale-tray settings export [--config FILE] [--out FILE|-]
       scale-tray settings import FILE|- [--config FILE] [--replace] [--json]

export   writes the settings as JSON (to stdout by default) with every secret left out, and a
         note of which clusters will need credentials after an import
import   adds the file's clusters to the settings; a cluster whose id or URL is already there
         is skipped (and said so) unless --replace, which overwrites it and also takes the
         file's notification and polling options. The settings file is first copied to
         <settings>.pre-import-<time>. A cluster that --replace points at another server
         loses its stored credentials (they were given for the old one)

  --config FILE   settings file (default: the app's)
  --out FILE|-    where to write the export (default -, stdout)
  --replace       import: overwrite existing clusters with the file's
  --json          import: print the report as one JSON object
`

/** Run `settings export|import`; returns the exit code (3 for usage errors and unreadable files). */
export async function runSettings(argv: string[], io: Io): Promise<number> {
  const [sub, ...rest] = argv
  if (sub === '--help' || sub === '-h' || sub === 'help') {
    io.out(SETTINGS_USAGE)
    return 0
  }
  const parsed = parseCommand(
    'settings',
    rest,
    {
      config: { type: 'string' },
      out: { type: 'string' },
      replace: { type: 'boolean' },
      json: { type: 'boolean' }
    },
    SETTINGS_USAGE,
    io
  )
  if (typeof parsed === 'number') return parsed
  const { values, positionals } = parsed
  try {
    if (sub !== 'export' && sub !== 'import')
      throw new UsageError(
        sub === undefined ? 'say export or import' : `unknown subcommand "${sub}"`
      )
    const config = typeof values.config === 'string' ? values.config : undefined
    checkConfigArg(config)
    if (sub === 'export') {
      if (positionals.length > 0)
        throw new UsageError('export takes no file argument; use --out FILE')
      if (values.replace) throw new UsageError('--replace is for import')
      return runExport(config, typeof values.out === 'string' ? values.out : '-', io)
    }
    if (values.out !== undefined) throw new UsageError('--out is for export')
    if (positionals.length !== 1) throw new UsageError('give the file to import (or - for stdin)')
    return await runImport(
      config,
      positionals[0] as string,
      values.replace === true,
      values.json === true,
      io
    )
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`scale-tray settings: ${err.message}\n\n${SETTINGS_USAGE}`)
      return 3
    }
    throw err
  }
}

/** The settings store for `--config` (or the app's), with the secrets file beside it. */
function openStores(config: string | undefined): {
  store: SettingsStore
  secretFile: FileSecretStore
} {
  // The secrets file sits beside the settings, whose path the store works out.
  const ref: { file?: FileSecretStore } = {}
  const secrets: SecretStore = {
    kind: 'file',
    get: (r) => ref.file?.get(r),
    has: (r) => ref.file?.has(r) ?? false,
    set: (r, v) => ref.file?.set(r, v),
    delete: (r) => ref.file?.delete(r)
  }
  const store = openSettingsStore({ file: config, secrets })
  const secretFile = new FileSecretStore(secretsPathFor(store.path))
  ref.file = secretFile
  return { store, secretFile }
}

function reportLoad(loaded: LoadResult, secretFile: FileSecretStore | undefined, io: Io): void {
  for (const p of loaded.problems) io.err(`scale-tray settings: settings: ${describeProblem(p)}\n`)
  if (loaded.backupPath)
    io.err(`scale-tray settings: settings: the original file was copied to ${loaded.backupPath}\n`)
  for (const w of secretFile?.check() ?? []) io.err(`scale-tray settings: secrets: ${w}\n`)
}

/** `export`: reads the settings and writes nothing but the export (not even a repair). */
function runExport(config: string | undefined, out: string, io: Io): number {
  const { store } = openStores(config)
  const loaded = store.load({ write: false })
  reportLoad(loaded, undefined, io)
  const e = exportSettings(loaded.settings)
  if (out === '-') io.out(e.content)
  else {
    const refused = unsafeExportTarget(out, store.path)
    if (refused) {
      io.err(`scale-tray settings: cannot export to ${out}: ${refused}\n`)
      return 3
    }
    try {
      writeFileAtomic(path.resolve(out), e.content, 0o644)
    } catch (err) {
      io.err(`scale-tray settings: cannot export to ${out}: ${fileError(err)}\n`)
      return 3
    }
    io.err(`Exported ${loaded.settings.clusters.length} cluster(s) to ${out}\n`)
  }
  io.err(
    e.needCredentials.length > 0
      ? `Secrets were left out. After importing, enter credentials for: ${e.needCredentials
          .map((n) => `${n.name} (${n.what.join(', ')})`)
          .join('; ')}\n`
      : 'Secrets were left out; no cluster needs credentials.\n'
  )
  return 0
}

/**
 * Why `out` must not receive an export: it is the settings or secrets file in use (or a backup
 * beside them would be lost the same way), a link, a folder or a special file, or its folder is
 * missing. Undefined when it may be written (a new file, or an ordinary file to replace).
 */
function unsafeExportTarget(out: string, settingsPath: string): string | undefined {
  if (out.trim() === '') return 'the file name is empty'
  const abs = path.resolve(out)
  const dir = path.dirname(abs)
  let real: string
  try {
    if (!fs.statSync(dir).isDirectory()) return `${dir} is not a folder`
    real = path.join(fs.realpathSync(dir), path.basename(abs))
  } catch (err) {
    return `its folder ${dir}: ${fileError(err)}`
  }
  const st = fs.lstatSync(abs, { throwIfNoEntry: false })
  if (st?.isSymbolicLink()) return 'it is a symbolic link; give the real file'
  if (st?.isDirectory()) return 'it is a folder; give a file name, e.g. scale-tray-settings.json'
  if (st && !st.isFile()) return 'it is not a regular file'
  const inUse = [
    settingsPath,
    secretsPathFor(settingsPath),
    join(dirname(settingsPath), 'history.json')
  ]
  for (const f of inUse) {
    let fReal = f
    try {
      fReal = path.join(fs.realpathSync(path.dirname(f)), path.basename(f))
    } catch {
      // The folder does not exist: nothing there to overwrite.
    }
    if (fReal === real) return `it is Scale Tray's own ${path.basename(f)}; export to another file`
  }
  return undefined
}

/** Largest file an import reads: a settings file of thousands of clusters is well under 1 MiB. */
const MAX_IMPORT_BYTES = 16 * 1024 * 1024

async function runImport(
  config: string | undefined,
  file: string,
  replace: boolean,
  json: boolean,
  io: Io
): Promise<number> {
  // The file first: a file that cannot be imported changes nothing, not even a repair.
  let bytes: Buffer
  try {
    bytes =
      file === '-'
        ? await io.readStdin(MAX_IMPORT_BYTES)
        : await readSmallFile(file, MAX_IMPORT_BYTES)
  } catch (err) {
    io.err(
      `scale-tray settings: cannot read ${file === '-' ? 'standard input' : file}: ${fileError(err)}\n`
    )
    return 3
  }
  const read = readImportFile(decodeSettingsBytes(bytes).text)
  if (!read.ok) {
    io.err(`scale-tray settings: ${file}: ${read.error}\n`)
    return 3
  }

  const { store, secretFile } = openStores(config)
  const loaded = store.load()
  reportLoad(loaded, secretFile, io)
  if (loaded.readOnly) {
    io.err(
      `scale-tray settings: cannot import into ${store.path}: ${loaded.readOnly}; nothing was changed\n`
    )
    return 3
  }
  const r = importSettings(loaded.settings, read.file, {
    replace,
    hasSecret: (ref) => secretFile.has(ref)
  })
  if (!r.ok) {
    io.err(`scale-tray settings: ${file}: ${r.error}\n`)
    return 3
  }
  const rep = r.report
  if (isDeepStrictEqual(r.settings, loaded.settings)) {
    rep.notes.push('nothing to change: the settings file was left as it was')
  } else {
    // The settings as they were, in case the import was not what was wanted.
    const backup = backUpSettings(store.path, 'pre-import')
    if (backup.error) {
      io.err(
        `scale-tray settings: cannot import: the settings could not be copied aside first (${backup.error}); nothing was changed\n`
      )
      return 3
    }
    try {
      store.save(r.settings)
    } catch (err) {
      io.err(`scale-tray settings: cannot import: ${(err as Error).message}; nothing was changed\n`)
      return 3
    }
    for (const ref of r.forgetSecrets) {
      try {
        secretFile.delete(ref)
      } catch (err) {
        rep.notes.push(
          `${ref} could not be removed (${(err as Error).message}): it would be sent to the new server; enter that cluster's credentials again now`
        )
      }
    }
    if (backup.path) rep.notes.push(`the settings before the import were copied to ${backup.path}`)
  }
  if (json) {
    io.out(`${JSON.stringify({ settings: store.path, ...rep })}\n`)
    return 0
  }
  const lines = [
    `Imported into ${store.path}:`,
    `  added:    ${rep.added.length > 0 ? rep.added.join(', ') : 'none'}`,
    `  replaced: ${rep.replaced.length > 0 ? rep.replaced.join(', ') : 'none'}`,
    ...(rep.skipped.length > 0
      ? ['  skipped:', ...rep.skipped.map((s) => `    ${s.name}: ${s.reason}`)]
      : ['  skipped:  none']),
    ...(rep.needCredentials.length > 0
      ? [
          `  needs credentials: ${rep.needCredentials.join(', ')} (add them in the dashboard, or with --username / SCALE_TOKEN_<NAME>)`
        ]
      : []),
    ...rep.notes.map((n) => `  note: ${n}`)
  ]
  io.out(`${lines.join('\n')}\n`)
  return 0
}
