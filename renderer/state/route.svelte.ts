// Rune module: the current route, mirrored from and to the URL hash (lib/route.ts has the format).
import { formatHash, parseHash, type Route } from '../lib/route.ts'

class RouteState {
  current = $state.raw<Route>(parseHash(typeof location === 'undefined' ? '' : location.hash))

  /** Follow the address bar (back/forward, edited links); returns the cleanup. */
  listen(): () => void {
    const sync = (): void => {
      this.current = parseHash(location.hash)
    }
    sync()
    window.addEventListener('hashchange', sync)
    return () => window.removeEventListener('hashchange', sync)
  }

  /**
   * Go somewhere. `replace` keeps the history clean for moves that are not destinations of their
   * own (arrowing through the cluster list).
   */
  go(r: Route, opts: { replace?: boolean } = {}): void {
    const hash = formatHash(r)
    this.current = r
    if (location.hash === hash) return
    if (opts.replace) history.replaceState(history.state, '', hash)
    else location.hash = hash
  }
}

export const route = new RouteState()
