// The generated icons (scripts/make-icons.ts → assets/): every state and size present, valid PNGs
// and .ico files, up to date with the script, distinct in colour and in shape, and macOS templates
// black + alpha only.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { inflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import {
  encodeIco,
  encodePng,
  stateIcon,
  STATES,
  TRAY_BASES,
  ICO_SIZES,
  TEMPLATE_STATES,
  APP_SIZES,
  type Bitmap
} from '../../../scripts/make-icons.ts'

const ASSETS = join(import.meta.dirname, '../../../assets')

/** Decode the PNGs our encoder writes (RGBA, 8-bit, filter 0). */
function decodePng(buf: Buffer): Bitmap {
  expect(buf.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  let pos = 8
  let width = 0
  let height = 0
  const idat: Buffer[] = []
  for (;;) {
    const len = buf.readUInt32BE(pos)
    const type = buf.toString('latin1', pos + 4, pos + 8)
    const body = buf.subarray(pos + 8, pos + 8 + len)
    if (type === 'IHDR') {
      width = body.readUInt32BE(0)
      height = body.readUInt32BE(4)
      expect([body[8], body[9]]).toEqual([8, 6])
    }
    if (type === 'IDAT') idat.push(body)
    pos += 12 + len
    if (type === 'IEND') break
  }
  const raw = inflateSync(Buffer.concat(idat))
  const data = new Uint8Array(width * height * 4)
  for (let y = 0; y < height; y++) {
    expect(raw[y * (width * 4 + 1)]).toBe(0)
    data.set(raw.subarray(y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1)), y * width * 4)
  }
  return { width, height, data }
}

const png = (rel: string) => decodePng(readFileSync(join(ASSETS, rel)))

/** Average colour of the mostly-opaque pixels. */
function meanColour(img: Bitmap): [number, number, number] {
  let r = 0
  let g = 0
  let b = 0
  let n = 0
  for (let i = 0; i < img.data.length; i += 4) {
    if ((img.data[i + 3] ?? 0) < 200) continue
    r += img.data[i] ?? 0
    g += img.data[i + 1] ?? 0
    b += img.data[i + 2] ?? 0
    n++
  }
  return [r / n, g / n, b / n]
}

/** Luminance of each pixel over a mid-grey panel: what a monochrome or colour-blind eye gets. */
function luminance(img: Bitmap): number[] {
  const out: number[] = []
  for (let i = 0; i < img.data.length; i += 4) {
    const a = (img.data[i + 3] ?? 0) / 255
    const l =
      0.2126 * (img.data[i] ?? 0) +
      0.7152 * (img.data[i + 1] ?? 0) +
      0.0722 * (img.data[i + 2] ?? 0)
    out.push(l * a + 128 * (1 - a))
  }
  return out
}

/** Fraction of pixels that differ clearly in luminance between two same-size icons. */
function shapeDifference(a: Bitmap, b: Bitmap): number {
  const la = luminance(a)
  const lb = luminance(b)
  return la.filter((v, i) => Math.abs(v - (lb[i] ?? 0)) > 60).length / la.length
}

describe('generated tray icons', () => {
  it('has every state at every base size, 1× and 2×, as the script draws them', () => {
    for (const state of STATES) {
      for (const base of TRAY_BASES) {
        const one = png(`tray/${state}-${base}.png`)
        const two = png(`tray/${state}-${base}@2x.png`)
        expect([one.width, one.height, two.width, two.height]).toEqual([
          base,
          base,
          base * 2,
          base * 2
        ])
      }
      // Committed output matches the script (run `npm run icons` after changing a shape).
      expect(
        readFileSync(join(ASSETS, `tray/${state}-16.png`)).equals(encodePng(stateIcon(state, 16))),
        `${state} is stale`
      ).toBe(true)
    }
  })

  it('has a multi-size .ico per state', () => {
    for (const state of STATES) {
      const ico = readFileSync(join(ASSETS, `tray/${state}.ico`))
      expect(ico.readUInt16LE(2)).toBe(1)
      expect(ico.readUInt16LE(4)).toBe(ICO_SIZES.length)
      const sizes = ICO_SIZES.map((_, i) => ico[6 + i * 16])
      expect(sizes).toEqual([...ICO_SIZES])
      const offset = ico.readUInt32LE(6 + 12)
      expect(decodePng(ico.subarray(offset)).width).toBe(16)
    }
  })

  it('gives each state its own colour', () => {
    const colours = STATES.map((s) => meanColour(png(`tray/${s}-32@2x.png`)))
    for (let i = 0; i < colours.length; i++) {
      for (let j = i + 1; j < colours.length; j++) {
        const [a, b] = [colours[i] as number[], colours[j] as number[]]
        const distance = Math.hypot(...a.map((v, k) => v - (b[k] ?? 0)))
        expect(distance, `${STATES[i]} vs ${STATES[j]}`).toBeGreaterThan(25)
      }
    }
  })

  it('gives each state its own shape (for colour-blind eyes and monochrome panels)', () => {
    const masks = STATES.map((s) => png(`tray/${s}-32@2x.png`))
    for (let i = 0; i < masks.length; i++) {
      for (let j = i + 1; j < masks.length; j++) {
        expect(
          shapeDifference(masks[i] as Bitmap, masks[j] as Bitmap),
          `${STATES[i]} vs ${STATES[j]}`
        ).toBeGreaterThan(0.12)
      }
    }
  })

  it('draws macOS templates in black and alpha only', () => {
    for (const state of TEMPLATE_STATES) {
      for (const rel of [`tray/${state}Template.png`, `tray/${state}Template@2x.png`]) {
        const img = png(rel)
        let opaque = 0
        for (let i = 0; i < img.data.length; i += 4) {
          expect([img.data[i], img.data[i + 1], img.data[i + 2]], rel).toEqual([0, 0, 0])
          if ((img.data[i + 3] ?? 0) > 0) opaque++
        }
        expect(opaque, rel).toBeGreaterThan(0)
      }
    }
    expect(png('tray/okTemplate.png').width).toBe(16)
    expect(png('tray/okTemplate@2x.png').width).toBe(32)
  })

  it('has the app icon for every package', () => {
    expect(png('icon.png').width).toBe(1024)
    for (const size of APP_SIZES) expect(png(`icons/${size}x${size}.png`).width).toBe(size)
    expect(readFileSync(join(ASSETS, 'icon.ico')).readUInt16LE(4)).toBe(7)
  })
})

describe('the encoders', () => {
  it('round-trips a bitmap through PNG', () => {
    const img = stateIcon('warning', 24)
    expect(decodePng(encodePng(img))).toEqual(img)
  })

  it('writes 256 px .ico entries as size 0', () => {
    const ico = encodeIco([{ size: 256, png: Buffer.from('x') }])
    expect([ico[6], ico[7]]).toEqual([0, 0])
    expect(ico.readUInt32LE(6 + 12)).toBe(22)
  })
})
