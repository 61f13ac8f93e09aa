// Test helper: a throwaway PKI made with the `openssl` command in a temp dir — a test CA, server
// certificates (good, expired, wrong host, self-signed), client certificates (PEM and PKCS#12
// with a passphrase, one expiring in 5 days, one expired, one from a CA the server does not trust).
import { execFileSync } from 'node:child_process'
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface CertPair {
  cert: string
  key: string
  /** File paths of the same. */
  certFile: string
  keyFile: string
}

export interface TestPki {
  dir: string
  /** The test CA (signs servers and clients). */
  ca: CertPair
  /** A second CA nobody trusts (for a client certificate the server refuses). */
  otherCa: CertPair
  server: CertPair
  expiredServer: CertPair
  wrongHost: CertPair
  selfSigned: CertPair
  client: CertPair
  /** The client certificate as PKCS#12, protected by `pfxPassphrase`. */
  clientPfxFile: string
  pfxPassphrase: string
  /** A client certificate that expires in 5 days (PEM and PKCS#12 with the same passphrase). */
  clientSoon: CertPair & { pfxFile: string }
  clientExpired: CertPair
  /** A client certificate signed by `otherCa`. */
  clientUntrusted: CertPair
  cleanup(): void
}

/** `YYYYMMDDHHMMSSZ`, as `openssl ca -startdate/-enddate` want it. */
function asn1Time(ms: number): string {
  return `${new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`
}

const DAY = 86_400_000

/** A name in the server certificate that no DNS resolves (RFC 6761 `.test`). */
export const TEST_HOST = 'scale.tray.test'

/** Make the whole PKI (about a second: EC P-256 keys, `openssl ca` for explicit dates). */
export function makeTestPki(passphrase = 'pfx-pass-7Q2x'): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'scale-tray-pki-'))
  const run = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] })
  }
  const file = (name: string): string => join(dir, name)
  const key = (name: string): void =>
    run('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', file(name))

  const makeCa = (name: string, cn: string): CertPair => {
    key(`${name}.key`)
    run(
      'req',
      '-x509',
      '-new',
      '-key',
      file(`${name}.key`),
      '-sha256',
      '-days',
      '30',
      '-subj',
      `/CN=${cn}`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
      '-out',
      file(`${name}.pem`)
    )
    const caDir = file(`${name}-db`)
    mkdirSync(join(caDir, 'new'), { recursive: true })
    writeFileSync(join(caDir, 'index.txt'), '')
    writeFileSync(join(caDir, 'serial'), '1000\n')
    writeFileSync(
      file(`${name}.cnf`),
      [
        '[ca]',
        'default_ca = CA_default',
        '[CA_default]',
        `database = ${join(caDir, 'index.txt')}`,
        `new_certs_dir = ${join(caDir, 'new')}`,
        `serial = ${join(caDir, 'serial')}`,
        'default_md = sha256',
        'policy = policy_any',
        'unique_subject = no',
        'email_in_dn = no',
        '[policy_any]',
        'commonName = supplied',
        ''
      ].join('\n')
    )
    return pair(name)
  }

  const pair = (name: string): CertPair => ({
    cert: readFileSync(file(`${name}.pem`), 'utf8'),
    key: readFileSync(file(`${name}.key`), 'utf8'),
    certFile: file(`${name}.pem`),
    keyFile: file(`${name}.key`)
  })

  /** A certificate signed by `ca`, valid from `from` to `to` (ms), with the given extensions. */
  const issue = (
    ca: string,
    name: string,
    cn: string,
    ext: string[],
    from = Date.now() - DAY,
    to = Date.now() + 30 * DAY
  ): CertPair => {
    key(`${name}.key`)
    run(
      'req',
      '-new',
      '-key',
      file(`${name}.key`),
      '-subj',
      `/CN=${cn}`,
      '-out',
      file(`${name}.csr`)
    )
    writeFileSync(file(`${name}.ext`), `[v3]\n${ext.join('\n')}\n`)
    run(
      'ca',
      '-batch',
      '-notext',
      '-config',
      file(`${ca}.cnf`),
      '-cert',
      file(`${ca}.pem`),
      '-keyfile',
      file(`${ca}.key`),
      '-in',
      file(`${name}.csr`),
      '-out',
      file(`${name}.pem`),
      '-startdate',
      asn1Time(from),
      '-enddate',
      asn1Time(to),
      '-extfile',
      file(`${name}.ext`),
      '-extensions',
      'v3'
    )
    return pair(name)
  }
  const serverExt = (san: string): string[] => [
    'basicConstraints=CA:FALSE',
    'keyUsage=critical,digitalSignature',
    'extendedKeyUsage=serverAuth',
    `subjectAltName=${san}`
  ]
  const clientExt = [
    'basicConstraints=CA:FALSE',
    'keyUsage=critical,digitalSignature',
    'extendedKeyUsage=clientAuth'
  ]
  const pfx = (name: string): string => {
    run(
      'pkcs12',
      '-export',
      '-inkey',
      file(`${name}.key`),
      '-in',
      file(`${name}.pem`),
      '-name',
      name,
      '-passout',
      `pass:${passphrase}`,
      '-out',
      file(`${name}.p12`)
    )
    return file(`${name}.p12`)
  }

  const ca = makeCa('ca', 'Scale Tray Test CA')
  const otherCa = makeCa('other-ca', 'Somebody Else CA')
  // `scale.tray.test` resolves nowhere: tests reach it only through the test proxy's host map.
  const server = issue(
    'ca',
    'server',
    'localhost',
    serverExt(`DNS:localhost,IP:127.0.0.1,DNS:${TEST_HOST}`)
  )
  const expiredServer = issue(
    'ca',
    'expired',
    'localhost',
    serverExt('DNS:localhost,IP:127.0.0.1'),
    Date.now() - 60 * DAY,
    Date.now() - 30 * DAY
  )
  const wrongHost = issue(
    'ca',
    'wrong-host',
    'scale.wrong.example',
    serverExt('DNS:scale.wrong.example')
  )
  key('self-signed.key')
  run(
    'req',
    '-x509',
    '-new',
    '-key',
    file('self-signed.key'),
    '-sha256',
    '-days',
    '30',
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=DNS:localhost,IP:127.0.0.1',
    '-out',
    file('self-signed.pem')
  )
  const selfSigned = pair('self-signed')
  const client = issue('ca', 'client', 'operator', clientExt)
  const clientPfxFile = pfx('client')
  const soon = issue(
    'ca',
    'client-soon',
    'operator-soon',
    clientExt,
    Date.now() - DAY,
    Date.now() + 5 * DAY
  )
  const clientSoon = { ...soon, pfxFile: pfx('client-soon') }
  const clientExpired = issue(
    'ca',
    'client-expired',
    'operator-old',
    clientExt,
    Date.now() - 60 * DAY,
    Date.now() - DAY
  )
  const clientUntrusted = issue('other-ca', 'client-untrusted', 'stranger', clientExt)
  return {
    dir,
    ca,
    otherCa,
    server,
    expiredServer,
    wrongHost,
    selfSigned,
    client,
    clientPfxFile,
    pfxPassphrase: passphrase,
    clientSoon,
    clientExpired,
    clientUntrusted,
    cleanup: () => rmSync(dir, { recursive: true, force: true })
  }
}
