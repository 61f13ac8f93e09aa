// Electron-free: `scale-tray settings export|import`, moving settings between machines without
// their secrets (tokens, passwords and passphrases never leave the secret store).
import { readFile, writeFile } from 'node:fs/promises'
import { FileSecretStore, type SecretStore } from '../core/settings/secrets.ts'
import {
  backUpSettings,
  describeProblem,
  openSettingsStore,
  secretsPathFor
} from '../core/settings/store.ts'
import { exportSettings, importSettings } from '../core/settings/transfer.ts'
import { parseCommand, UsageError, type Io } from './common.ts'

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
    if (config !== undefined && config.trim() === '')
      throw new UsageError('--config needs a file name (it was given an empty one)')
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
    const loaded = store.load()
    for (const p of loaded.problems)
      io.err(`scale-tray settings: settings: ${describeProblem(p)}\n`)
    if (loaded.backupPath)
      io.err(
        `scale-tray settings: settings: the original file was copied to ${loaded.backupPath}\n`
      )
    for (const w of secretFile.check()) io.err(`scale-tray settings: secrets: ${w}\n`)

    if (sub === 'export') {
      if (positionals.length > 0)
        throw new UsageError('export takes no file argument; use --out FILE')
      if (values.replace) throw new UsageError('--replace is for import')
      const out = typeof values.out === 'string' ? values.out : '-'
      const e = exportSettings(loaded.settings)
      if (out === '-') io.out(e.content)
      else {
        await writeFile(out, e.content, { mode: 0o644 })
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

    if (values.out !== undefined) throw new UsageError('--out is for export')
    if (positionals.length !== 1) throw new UsageError('give the file to import (or - for stdin)')
    if (loaded.readOnly) {
      io.err(
        `scale-tray settings: cannot import into ${store.path}: ${loaded.readOnly}; nothing was changed\n`
      )
      return 3
    }
    const file = positionals[0] as string
    let content: string
    try {
      content = file === '-' ? await io.readStdin() : await readFile(file, 'utf8')
    } catch (err) {
      throw new UsageError(
        `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`
      )
    }
    const r = importSettings(loaded.settings, content, {
      replace: values.replace === true,
      hasSecret: (ref) => secrets.has(ref)
    })
    if (!r.ok) {
      io.err(`scale-tray settings: ${file}: ${r.error}\n`)
      return 3
    }
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
    const rep = r.report
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
    if (values.json) {
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
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`scale-tray settings: ${err.message}\n\n${SETTINGS_USAGE}`)
      return 3
    }
    throw err
  }
}
