// Electron-free: the dashboard's Content-Security-Policy, one definition for both places that
// serve it (the app:// protocol in the Electron shell, and `scale-tray serve`). Nothing inline,
// nothing remote: scripts, styles, fonts and fetches come from the dashboard's own origin.
export const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'"
].join('; ')
