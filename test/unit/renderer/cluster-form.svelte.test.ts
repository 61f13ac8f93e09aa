import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte'
import type { ClusterEdit, ClusterSettingsView } from '../../../preload/contract.ts'
import { setBridge } from '../../../renderer/lib/bridge.ts'
import ClusterForm from '../../../renderer/components/ClusterForm.svelte'
import { fakeBridge } from './fake-bridge.ts'

afterEach(() => cleanup())

const stored: ClusterSettingsView = {
  id: 'c1',
  name: 'prod',
  url: 'https://scale.example.com/api',
  api: 'v6',
  enabled: true,
  intervalSec: 30,
  timeoutSec: 10,
  auth: { kind: 'token', secretRef: 'cluster:c1:auth' },
  tls: { insecure: false },
  proxy: { mode: 'system' },
  overrides: { 'dependency.silo': 'ignore' },
  muted: false,
  hasSecret: true,
  hasPassphrase: false
}

describe('the cluster form', () => {
  it('shows the server’s field errors next to their fields and marks them invalid', async () => {
    const api = fakeBridge({
      addCluster: () => Promise.resolve({ ok: false, error: 'Check url, name', fields: { url: 'an http:// or https:// URL', name: 'a cluster is already called prod' } })
    })
    setBridge(api)
    render(ClusterForm, {})
    await fireEvent.input(screen.getByLabelText('Name'), { target: { value: 'prod' } })
    await fireEvent.input(screen.getByLabelText('API URL'), { target: { value: 'ftp://nope' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Add cluster' }))

    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('Check url, name'))
    const url = screen.getByLabelText('API URL')
    expect(url.getAttribute('aria-invalid')).toBe('true')
    const urlError = document.querySelector('[data-field-error="url"]')
    expect(urlError?.textContent).toBe('an http:// or https:// URL')
    expect(url.getAttribute('aria-describedby')).toContain(urlError?.id ?? 'missing')
    expect(document.querySelector('[data-field-error="name"]')?.textContent).toBe('a cluster is already called prod')
    expect(api.addCluster).toHaveBeenCalledWith(expect.objectContaining({ name: 'prod', url: 'ftp://nope' }))
  })

  it('catches a duplicated override before asking the server', async () => {
    const api = fakeBridge()
    setBridge(api)
    render(ClusterForm, { existing: stored })
    await fireEvent.click(screen.getByRole('button', { name: 'Add an override' }))
    await fireEvent.input(screen.getByLabelText('Finding id or prefix 2'), { target: { value: 'dependency.silo' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Save changes' }))
    expect(document.querySelector('[data-field-error="overrides"]')?.textContent).toBe('"dependency.silo" is listed twice')
    expect(api.updateCluster).not.toHaveBeenCalled()
  })

  it('never shows a stored token, keeps it by default and sends null to remove it', async () => {
    const api = fakeBridge({ updateCluster: () => Promise.resolve({ ok: true, value: stored }) })
    setBridge(api)
    render(ClusterForm, { existing: stored })
    expect(screen.getByTestId('secret-stored').textContent).toContain('A token is stored')
    expect(screen.queryByLabelText(/^(new )?scale api token$/i)).toBeNull() // no secret field until "Replace"

    await fireEvent.click(screen.getByRole('button', { name: 'Save changes' }))
    await waitFor(() => expect(api.updateCluster).toHaveBeenCalledTimes(1))
    const kept = (api.updateCluster.mock.calls[0] as [{ edit: ClusterEdit }])[0].edit
    expect('secret' in kept).toBe(false)

    await fireEvent.click(screen.getByLabelText('Remove it'))
    await fireEvent.click(screen.getByRole('button', { name: 'Save changes' }))
    await waitFor(() => expect(api.updateCluster).toHaveBeenCalledTimes(2))
    expect((api.updateCluster.mock.calls[1] as [{ edit: ClusterEdit }])[0].edit.secret).toBeNull()

    await fireEvent.click(screen.getByLabelText('Replace it'))
    await fireEvent.input(screen.getByLabelText('New scale api token'), { target: { value: 's3cret' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Save changes' }))
    await waitFor(() => expect(api.updateCluster).toHaveBeenCalledTimes(3))
    expect((api.updateCluster.mock.calls[2] as [{ edit: ClusterEdit }])[0].edit.secret).toBe('s3cret')
  })

  it('shows the exact outcome of Test connection, findings and fixes included', async () => {
    const api = fakeBridge({
      testConnection: () =>
        Promise.resolve({
          ok: true,
          value: {
            level: 'unknown',
            summary: 'Needs credentials: give a token',
            findings: [{ id: 'http.auth', severity: 'warning', title: 'Needs credentials: give a token', message: 'HTTP 403: the cluster requires a login.', fix: 'Give a Scale token.' }],
            version: '7.2.1',
            url: 'https://scale.example.com/api/v6/status/',
            durationMs: 12,
            httpStatus: 403,
            nodes: null
          }
        })
    })
    setBridge(api)
    render(ClusterForm, { existing: stored })
    await fireEvent.click(screen.getByRole('button', { name: 'Test connection' }))
    const result = await screen.findByTestId('test-result')
    expect(result.textContent).toContain('Unknown')
    expect(screen.getByTestId('test-http').textContent).toBe('403')
    expect(result.textContent).toContain('7.2.1')
    expect(result.textContent).toContain('Give a Scale token.')
    const [req] = api.testConnection.mock.calls[0] as [{ edit: ClusterEdit; id?: string }]
    expect(req.id).toBe('c1')
    expect(req.edit.name).toBe('prod')
  })
})
