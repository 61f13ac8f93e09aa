// `npm run icons`: draws the tray icons (one per tray state, distinct in colour AND shape) and the
// app icon into assets/, with no image library: shapes are signed-distance functions, rasterised
// with 4×4 supersampling, written by a tiny PNG encoder (node:zlib) and a multi-size .ico writer.
// The output is committed; run again after changing a shape.
//
//   ok        green circle, ✓          warning  amber triangle, !     critical  red octagon, ✕
//   unknown   blue diamond, ?          offline  grey dashed ring, ⁄   paused    violet square, ‖
//
// macOS gets black+alpha template images for the calm states (ok, offline, paused), which the menu
// bar tints for light and dark; the states that need attention stay in colour.
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { crc32, deflateSync } from 'node:zlib'

// ------------------------------------------------------------------------------------ encoders

type Rgba = [number, number, number, number]

/** An RGBA image, 8 bits per channel, row-major. */
export interface Bitmap {
  width: number
  height: number
  data: Uint8Array
}

function chunk(type: string, body: Uint8Array): Buffer {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(body.length)
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), body])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(typed))
  return Buffer.concat([len, typed, crc])
}

/** A PNG file (colour type 6, RGBA 8-bit, no interlace, filter 0 on every row). */
export function encodePng(img: Bitmap): Buffer {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(img.width, 0)
  ihdr.writeUInt32BE(img.height, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 6 // RGBA
  const stride = img.width * 4
  const raw = Buffer.alloc((stride + 1) * img.height)
  for (let y = 0; y < img.height; y++) {
    raw[y * (stride + 1)] = 0
    raw.set(img.data.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1)
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array(0))
  ])
}

/** A Windows .ico holding PNG images (Vista and later read PNG entries), smallest first. */
export function encodeIco(images: { size: number; png: Buffer }[]): Buffer {
  const header = Buffer.alloc(6)
  header.writeUInt16LE(0, 0) // reserved
  header.writeUInt16LE(1, 2) // type: icon
  header.writeUInt16LE(images.length, 4)
  const entries: Buffer[] = []
  let offset = 6 + 16 * images.length
  for (const { size, png } of images) {
    const e = Buffer.alloc(16)
    e[0] = size >= 256 ? 0 : size // 0 means 256
    e[1] = size >= 256 ? 0 : size
    e[2] = 0 // no palette
    e[3] = 0
    e.writeUInt16LE(1, 4) // colour planes
    e.writeUInt16LE(32, 6) // bits per pixel
    e.writeUInt32LE(png.length, 8)
    e.writeUInt32LE(offset, 12)
    entries.push(e)
    offset += png.length
  }
  return Buffer.concat([header, ...entries, ...images.map((i) => i.png)])
}

// ------------------------------------------------------------------------------------ geometry
// Coordinates are in icon units: (0,0) top left, (1,1) bottom right. A shape is a signed distance
// (negative inside); `stroke` turns a line into a shape of a given half width.

type Vec = [number, number]
type Sdf = (x: number, y: number) => number

const circle =
  (cx: number, cy: number, r: number): Sdf =>
  (x, y) =>
    Math.hypot(x - cx, y - cy) - r

function segmentDistance(x: number, y: number, a: Vec, b: Vec): number {
  const [ax, ay] = a
  const [bx, by] = b
  const dx = bx - ax
  const dy = by - ay
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
  return Math.hypot(x - (ax + t * dx), y - (ay + t * dy))
}

/** A polyline with round caps and joins, `w` wide. */
const stroke =
  (points: Vec[], w: number): Sdf =>
  (x, y) => {
    let d = Infinity
    for (let i = 0; i + 1 < points.length; i++)
      d = Math.min(d, segmentDistance(x, y, points[i] as Vec, points[i + 1] as Vec))
    return d - w / 2
  }

/** A convex polygon (clockwise or not), corners rounded by `r` (the polygon is shrunk by r first). */
function polygon(points: Vec[], r = 0): Sdf {
  // Shrink toward the centroid so the rounded shape keeps the requested outline.
  const cx = points.reduce((s, p) => s + p[0], 0) / points.length
  const cy = points.reduce((s, p) => s + p[1], 0) / points.length
  const inner = points.map(([x, y]): Vec => {
    const d = Math.hypot(x - cx, y - cy)
    return [x - ((x - cx) / d) * r * 1.6, y - ((y - cy) / d) * r * 1.6]
  })
  return (x, y) => {
    let inside = false
    let d = Infinity
    for (let i = 0, j = inner.length - 1; i < inner.length; j = i++) {
      const a = inner[i] as Vec
      const b = inner[j] as Vec
      d = Math.min(d, segmentDistance(x, y, a, b))
      if (a[1] > y !== b[1] > y && x < ((b[0] - a[0]) * (y - a[1])) / (b[1] - a[1]) + a[0])
        inside = !inside
    }
    return (inside ? -d : d) - r
  }
}

const roundedBox =
  (x0: number, y0: number, x1: number, y1: number, r: number): Sdf =>
  (x, y) => {
    const hx = (x1 - x0) / 2 - r
    const hy = (y1 - y0) / 2 - r
    const qx = Math.abs(x - (x0 + x1) / 2) - hx
    const qy = Math.abs(y - (y0 + y1) / 2) - hy
    return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r
  }

/** An arc of a circle from angle a0 to a1 (radians, clockwise on screen), `w` wide, round caps. */
const arc = (cx: number, cy: number, r: number, a0: number, a1: number, w: number): Sdf => {
  const steps = 24
  const pts: Vec[] = []
  for (let i = 0; i <= steps; i++) {
    const a = a0 + ((a1 - a0) * i) / steps
    pts.push([cx + r * Math.cos(a), cy + r * Math.sin(a)])
  }
  return stroke(pts, w)
}

/** A ring cut into dashes: `dashes` pieces, each `fill` of its share of the circle. */
const dashedRing = (
  cx: number,
  cy: number,
  r: number,
  w: number,
  dashes: number,
  fill: number,
  phase: number
): Sdf => {
  const parts: Sdf[] = []
  for (let i = 0; i < dashes; i++) {
    const a0 = phase + (i * 2 * Math.PI) / dashes
    parts.push(arc(cx, cy, r, a0, a0 + (fill * 2 * Math.PI) / dashes, w))
  }
  return union(...parts)
}

const union =
  (...shapes: Sdf[]): Sdf =>
  (x, y) => {
    let d = Infinity
    for (const s of shapes) d = Math.min(d, s(x, y))
    return d
  }
const grow =
  (s: Sdf, by: number): Sdf =>
  (x, y) =>
    s(x, y) - by

// ------------------------------------------------------------------------------------ raster

/** A layer: paint `colour` where the shape is, or erase (alpha to 0) with `erase`. */
interface Layer {
  shape: Sdf
  colour?: Rgba
  erase?: boolean
}

/** Samples per pixel side: 4×4 for tray sizes; large icons have enough pixels for 2×2. */
const supersample = (size: number): number => (size >= 128 ? 2 : 4)

/** Rasterise layers at `size`×`size` pixels, each pixel the average of n×n samples. */
export function render(layers: Layer[], size: number): Bitmap {
  const data = new Uint8Array(size * size * 4)
  const n = supersample(size)
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      // Accumulate premultiplied colour over the samples, compositing the layers per sample.
      let r = 0
      let g = 0
      let b = 0
      let a = 0
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const x = (px + (sx + 0.5) / n) / size
          const y = (py + (sy + 0.5) / n) / size
          let cr = 0
          let cg = 0
          let cb = 0
          let ca = 0
          for (const layer of layers) {
            if (layer.shape(x, y) > 0) continue
            if (layer.erase) {
              cr = cg = cb = ca = 0
              continue
            }
            const c = layer.colour as Rgba
            const la = c[3] / 255
            cr = c[0] * la + cr * (1 - la)
            cg = c[1] * la + cg * (1 - la)
            cb = c[2] * la + cb * (1 - la)
            ca = la + ca * (1 - la)
          }
          r += cr
          g += cg
          b += cb
          a += ca
        }
      }
      const k = n * n
      const i = (py * size + px) * 4
      const alpha = a / k
      data[i] = alpha > 0 ? Math.round(r / k / alpha) : 0
      data[i + 1] = alpha > 0 ? Math.round(g / k / alpha) : 0
      data[i + 2] = alpha > 0 ? Math.round(b / k / alpha) : 0
      data[i + 3] = Math.round(alpha * 255)
    }
  }
  return { width: size, height: size, data }
}

// ------------------------------------------------------------------------------------ the icons

export const STATES = ['ok', 'warning', 'critical', 'unknown', 'offline', 'paused'] as const
export type State = (typeof STATES)[number]

const hex = (h: string, alpha = 255): Rgba => [
  parseInt(h.slice(1, 3), 16),
  parseInt(h.slice(3, 5), 16),
  parseInt(h.slice(5, 7), 16),
  alpha
]
const WHITE = hex('#ffffff')
const INK = hex('#1d1d1f')
const BLACK = hex('#000000')

/** A thin dark edge keeps light shapes visible on light panels, dark ones on dark panels. */
const EDGE = 0.05
const GLYPH = 0.15

interface Design {
  /** The silhouette (filled), or null for an outline-only icon. */
  body: Sdf
  /** The symbol inside. */
  glyph: Sdf
  colour: Rgba
  glyphColour: Rgba
  edge: Rgba
}

const octagon = (r: number): Vec[] =>
  Array.from({ length: 8 }, (_, i): Vec => {
    const a = Math.PI / 8 + (i * Math.PI) / 4
    return [0.5 + r * Math.cos(a), 0.5 + r * Math.sin(a)]
  })

const designs: Record<State, Design> = {
  ok: {
    body: circle(0.5, 0.5, 0.45),
    glyph: stroke(
      [
        [0.28, 0.52],
        [0.43, 0.67],
        [0.72, 0.36]
      ],
      GLYPH
    ),
    colour: hex('#1f9d4a'),
    glyphColour: WHITE,
    edge: hex('#0b4d22')
  },
  warning: {
    body: polygon(
      [
        [0.5, 0.04],
        [0.97, 0.9],
        [0.03, 0.9]
      ],
      0.05
    ),
    glyph: union(
      stroke(
        [
          [0.5, 0.35],
          [0.5, 0.6]
        ],
        GLYPH
      ),
      circle(0.5, 0.76, 0.08)
    ),
    colour: hex('#f5b01a'),
    glyphColour: INK,
    edge: hex('#7a5200')
  },
  critical: {
    body: polygon(octagon(0.48), 0.03),
    glyph: union(
      stroke(
        [
          [0.33, 0.33],
          [0.67, 0.67]
        ],
        GLYPH
      ),
      stroke(
        [
          [0.67, 0.33],
          [0.33, 0.67]
        ],
        GLYPH
      )
    ),
    colour: hex('#d7261e'),
    glyphColour: WHITE,
    edge: hex('#6b0d09')
  },
  unknown: {
    body: polygon(
      [
        [0.5, 0.02],
        [0.98, 0.5],
        [0.5, 0.98],
        [0.02, 0.5]
      ],
      0.05
    ),
    glyph: union(
      arc(0.5, 0.4, 0.12, Math.PI * 1.05, Math.PI * 2.35, 0.13),
      stroke(
        [
          [0.54, 0.53],
          [0.5, 0.58],
          [0.5, 0.62]
        ],
        0.13
      ),
      circle(0.5, 0.76, 0.075)
    ),
    colour: hex('#3f74b5'),
    glyphColour: WHITE,
    edge: hex('#16365e')
  },
  offline: {
    // Four dashes at the cardinal points; the slash crosses the ring through two gaps.
    body: dashedRing(0.5, 0.5, 0.36, 0.12, 4, 0.55, (-0.55 * Math.PI) / 4),
    glyph: stroke(
      [
        [0.14, 0.86],
        [0.86, 0.14]
      ],
      0.12
    ),
    colour: hex('#8d96a1'),
    glyphColour: hex('#8d96a1'),
    edge: hex('#343a42')
  },
  paused: {
    body: roundedBox(0.06, 0.06, 0.94, 0.94, 0.2),
    glyph: union(
      stroke(
        [
          [0.38, 0.3],
          [0.38, 0.7]
        ],
        GLYPH
      ),
      stroke(
        [
          [0.62, 0.3],
          [0.62, 0.7]
        ],
        GLYPH
      )
    ),
    colour: hex('#8250c8'),
    glyphColour: WHITE,
    edge: hex('#3b1d66')
  }
}

/** The coloured icon of a state (offline is an outline: its glyph is drawn as part of the body). */
export function stateIcon(state: State, size: number): Bitmap {
  const d = designs[state]
  const edge = Math.max(EDGE, 0.9 / size)
  if (state === 'offline') {
    // An outline icon: a hairline edge only, so the dashes' gaps stay open at 16 px.
    const all = union(d.body, d.glyph)
    return render(
      [
        { shape: grow(all, edge / 2), colour: d.edge },
        { shape: all, colour: d.colour }
      ],
      size
    )
  }
  return render(
    [
      { shape: d.body, colour: d.edge },
      { shape: grow(d.body, -edge), colour: d.colour },
      { shape: d.glyph, colour: d.glyphColour }
    ],
    size
  )
}

/** The macOS template: black where the shape is, the glyph cut out. */
export function templateIcon(state: State, size: number): Bitmap {
  const d = designs[state]
  if (state === 'offline') return render([{ shape: union(d.body, d.glyph), colour: BLACK }], size)
  return render(
    [
      { shape: d.body, colour: BLACK },
      { shape: d.glyph, erase: true }
    ],
    size
  )
}

/** The app icon: a rounded tile with three cluster nodes, one of them flagged. */
export function appIcon(size: number): Bitmap {
  const tile = roundedBox(0.06, 0.06, 0.94, 0.94, 0.2)
  const bars = [0.3, 0.5, 0.7].map((y) => roundedBox(0.2, y - 0.07, 0.8, y + 0.07, 0.05))
  const dots = [0.3, 0.5, 0.7].map((y) => circle(0.7, y, 0.035))
  return render(
    [
      { shape: tile, colour: hex('#16324f') },
      { shape: grow(tile, -0.025), colour: hex('#1f4e79') },
      ...bars.map((shape) => ({ shape, colour: hex('#e8eef5') })),
      { shape: dots[0] as Sdf, colour: hex('#1f9d4a') },
      { shape: dots[1] as Sdf, colour: hex('#f5b01a') },
      { shape: dots[2] as Sdf, colour: hex('#1f9d4a') },
      ...[0.3, 0.5, 0.7].map((y) => ({
        shape: stroke(
          [
            [0.28, y],
            [0.5, y]
          ],
          0.03
        ),
        colour: hex('#9fb3c8')
      }))
    ],
    size
  )
}

/** Tray base sizes in points; each is written at 1× and 2×. */
export const TRAY_BASES = [16, 22, 24, 32] as const
/** Sizes inside each state's .ico (Windows picks by DPI: 16 at 100 %, 24 at 150 %, 32 at 200 %…). */
export const ICO_SIZES = [16, 20, 24, 32, 40, 48, 64] as const
export const TEMPLATE_STATES: readonly State[] = ['ok', 'offline', 'paused']
/** Linux icon theme sizes for the packages (assets/icons/NxN.png). */
export const APP_SIZES = [16, 24, 32, 48, 64, 128, 256, 512] as const

function write(file: string, data: Buffer): void {
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, data)
}

/** Write every asset under `assets`; returns the files written. */
export function makeIcons(assets: string): string[] {
  const written: string[] = []
  const put = (rel: string, data: Buffer): void => {
    write(join(assets, rel), data)
    written.push(rel)
  }
  for (const state of STATES) {
    for (const base of TRAY_BASES) {
      put(`tray/${state}-${base}.png`, encodePng(stateIcon(state, base)))
      put(`tray/${state}-${base}@2x.png`, encodePng(stateIcon(state, base * 2)))
    }
    put(
      `tray/${state}.ico`,
      encodeIco(ICO_SIZES.map((size) => ({ size, png: encodePng(stateIcon(state, size)) })))
    )
    if (TEMPLATE_STATES.includes(state)) {
      put(`tray/${state}Template.png`, encodePng(templateIcon(state, 16)))
      put(`tray/${state}Template@2x.png`, encodePng(templateIcon(state, 32)))
    }
  }
  const big = appIcon(1024)
  put('icon.png', encodePng(big))
  for (const size of APP_SIZES) put(`icons/${size}x${size}.png`, encodePng(appIcon(size)))
  put(
    'icon.ico',
    encodeIco(
      [16, 24, 32, 48, 64, 128, 256].map((size) => ({ size, png: encodePng(appIcon(size)) }))
    )
  )
  return written
}

if (import.meta.main) {
  const assets = join(import.meta.dirname, '..', 'assets')
  const files = makeIcons(assets)
  console.log(`wrote ${files.length} files to ${assets}`)
}
