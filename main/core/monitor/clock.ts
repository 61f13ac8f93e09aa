// Electron-free: time, injected. The monitor never calls Date.now or setTimeout directly, so its
// tests can run hours of polling in milliseconds with a fake clock, deterministically.

export type TimerHandle = { readonly id: number }

export interface Clock {
  now(): number
  setTimeout(fn: () => void, ms: number): TimerHandle
  clearTimeout(handle: TimerHandle | undefined): void
}

/** The real clock. Timers are unref'd: a pending poll never keeps a finished CLI alive. */
export function systemClock(): Clock {
  const timers = new Map<number, NodeJS.Timeout>()
  let next = 1
  return {
    now: () => Date.now(),
    setTimeout(fn, ms) {
      const id = next++
      const t = setTimeout(
        () => {
          timers.delete(id)
          fn()
        },
        Math.max(0, ms)
      )
      t.unref()
      timers.set(id, t)
      return { id }
    },
    clearTimeout(h) {
      if (!h) return
      const t = timers.get(h.id)
      if (t) clearTimeout(t)
      timers.delete(h.id)
    }
  }
}

/**
 * A manual clock for tests and simulations: `advance(ms)` runs every timer due in order,
 * awaiting the microtasks each one queues (so async polls settle between timers).
 */
export class FakeClock implements Clock {
  private t: number
  private seq = 1
  private timers = new Map<number, { at: number; fn: () => void }>()

  constructor(start = Date.UTC(2026, 11, 3, 9, 0, 0)) {
    this.t = start
  }

  now(): number {
    return this.t
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = this.seq++
    this.timers.set(id, { at: this.t + Math.max(0, ms), fn })
    return { id }
  }

  clearTimeout(h: TimerHandle | undefined): void {
    if (h) this.timers.delete(h.id)
  }

  /** Timers still pending (a leak check for tests). */
  pending(): number {
    return this.timers.size
  }

  /** Move time forward by `ms`, firing due timers in time order. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms
    for (;;) {
      await flush()
      let nextId: number | undefined
      let nextAt = Infinity
      for (const [id, tm] of this.timers) {
        if (tm.at <= end && (tm.at < nextAt || (tm.at === nextAt && id < (nextId ?? Infinity)))) {
          nextAt = tm.at
          nextId = id
        }
      }
      if (nextId === undefined) break
      const tm = this.timers.get(nextId)
      this.timers.delete(nextId)
      this.t = Math.max(this.t, nextAt)
      tm?.fn()
    }
    this.t = end
    await flush()
  }
}

async function flush(): Promise<void> {
  // Several rounds: an async poll chains a few awaits before it settles.
  for (let i = 0; i < 20; i++) await Promise.resolve()
}
