// Plain TS: Scale's job type icons are Font Awesome codes (`f186`). We ship no icon font (CSP and
// size), so common codes map to a Unicode symbol that the usual system fonts carry (Basic
// Multilingual Plane only: colour emoji fonts are often missing on Linux); others show the code.

const GLYPHS: Record<string, string> = {
  f002: '⌕', // search
  f005: '★', // star
  f006: '☆', // star-o
  f004: '♥', // heart
  f00c: '✓', // check
  f00d: '✕', // times
  f013: '⚙', // cog
  f085: '⚙', // cogs
  f015: '⌂', // home
  f017: '◷', // clock-o
  f01e: '↻', // repeat
  f021: '⟳', // refresh
  f024: '⚑', // flag
  f040: '✎', // pencil
  f044: '✎', // edit
  f05e: '⊘', // ban
  f057: '✖', // times-circle
  f058: '✔', // check-circle
  f060: '←',
  f061: '→',
  f062: '↑',
  f063: '↓',
  f067: '+',
  f068: '−',
  f071: '⚠', // warning
  f072: '✈', // plane
  f0c2: '☁', // cloud
  f0c3: '⚗', // flask
  f0c4: '✂', // cut
  f0c8: '■', // square
  f096: '□', // square-o
  f0c9: '☰', // bars
  f0ce: '▦', // table
  f0e0: '✉', // envelope
  f0e2: '↺', // undo
  f0e7: '⚡', // bolt
  f0e9: '☂', // umbrella
  f0f4: '☕', // coffee
  f10c: '○', // circle-o
  f111: '●', // circle
  f128: '?',
  f129: 'ℹ',
  f140: '◎', // bullseye
  f155: '$', // dollar
  f185: '☀', // sun
  f186: '☾', // moon
  f192: '◉', // dot-circle
  f1b8: '♻', // recycle
  f200: '◔', // pie-chart
  f252: '⌛', // hourglass-half
  f254: '⌛', // hourglass
  f2dc: '❄' // snowflake
}

/** The Unicode stand-in for a Font Awesome code, or null when there is no fair one. */
export function iconGlyph(code: string | null | undefined): string | null {
  if (!code) return null
  return GLYPHS[code.trim().toLowerCase().replace(/^fa-?/, '')] ?? null
}
