// The dashboard's entry: global styles, then the app into #app. The same bundle runs in the
// Electron window (bridge over IPC) and in a browser through `scale-tray serve` (bridge over HTTP).
import { mount } from 'svelte'
import './app.css'
import App from './App.svelte'

const target = document.getElementById('app')
if (!target) throw new Error('index.html has no #app element')
export default mount(App, { target })
