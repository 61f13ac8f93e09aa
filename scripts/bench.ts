// `npm run bench`: what reading a status document costs, against JSON.parse alone.
//
// For documents of 10, 100, 1,000 and 5,000 nodes: the median time of `JSON.parse` and of the
// whole read (parse + validate + evaluate, exactly what the client does with a 200 body), and
// their ratio. The last line is one JSON object (`ratio1000` is the figure the README tracks;
// the target is ≤ 1.5).
import os from 'node:os'
import { generateStatus } from '../main/sim/generate.ts'
import { parseStatusText } from '../main/core/scale/parse.ts'
import { evaluateStatus } from '../main/core/health/rules.ts'

const SIZES = [10, 100, 1000, 5000]
const ROUNDS = 15

function docFor(nodes: number): string {
  // Realistic mix: a few degraded and offline nodes, warnings, so the rules do real work.
  const specs: Record<number, { errors?: ['BAD_DAEMON']; state?: string }> = {}
  for (let i = 0; i < nodes; i += 97) specs[i] = { errors: ['BAD_DAEMON'] }
  for (let i = 13; i < nodes; i += 211) specs[i] = { state: 'OFFLINE' }
  return JSON.stringify(generateStatus({ nodes, seed: 1, nodeSpecs: specs }))
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)] as number
}

let sink = 0
function timeIt(fn: () => void, iterations: number): number {
  const t0 = performance.now()
  for (let i = 0; i < iterations; i++) fn()
  return (performance.now() - t0) / iterations
}

const rows: { nodes: number; bytes: number; parseMs: number; readMs: number; ratio: number }[] = []
for (const nodes of SIZES) {
  const text = docFor(nodes)
  const iterations = Math.max(5, Math.round(40_000 / nodes))
  const parseOnly = (): void => {
    sink += (JSON.parse(text) as { nodes: unknown[] }).nodes.length
  }
  const whole = (): void => {
    const r = parseStatusText(text)
    if (!r.ok) throw new Error(r.failure.message)
    sink += evaluateStatus(r.status, { now: Date.parse(r.status.timestamp) }).findings.length
  }
  // Warm up both paths, then alternate rounds so drift (GC, turbo) hits both alike.
  for (let i = 0; i < 3; i++) {
    timeIt(parseOnly, iterations)
    timeIt(whole, iterations)
  }
  const p: number[] = []
  const w: number[] = []
  for (let r = 0; r < ROUNDS; r++) {
    p.push(timeIt(parseOnly, iterations))
    w.push(timeIt(whole, iterations))
  }
  const parseMs = median(p)
  const readMs = median(w)
  rows.push({ nodes, bytes: text.length, parseMs, readMs, ratio: readMs / parseMs })
}

const fmt = (n: number): string => n.toFixed(3).padStart(9)
console.log(`Node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} ×${os.cpus().length}`)
console.log('| nodes | JSON bytes | JSON.parse ms | parse+validate+evaluate ms | ratio |')
console.log('|---:|---:|---:|---:|---:|')
for (const r of rows) {
  console.log(
    `| ${r.nodes} | ${r.bytes.toLocaleString('en-US')} | ${fmt(r.parseMs)} | ${fmt(r.readMs)} | ${r.ratio.toFixed(2)}× |`
  )
}
if (sink === -1) console.log('') // keep the work observable so it is not optimised away
const out: Record<string, number> = {}
for (const r of rows) {
  out[`ratio${r.nodes}`] = Number(r.ratio.toFixed(3))
  out[`parseMs${r.nodes}`] = Number(r.parseMs.toFixed(3))
  out[`readMs${r.nodes}`] = Number(r.readMs.toFixed(3))
}
console.log(JSON.stringify({ ...out, target1000: 1.5, pass: (out.ratio1000 ?? 99) <= 1.5 }))
