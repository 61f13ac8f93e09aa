// Electron-free: reading the small files a user points us at (CA bundles, certificates, rules,
// saved status documents) without hanging or exhausting memory on a FIFO, a device or a huge file.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs'
import { open } from 'node:fs/promises'

// Windows has no O_NONBLOCK (and no FIFOs in the file system): plain read-only there.
const OPEN_FLAGS = constants.O_RDONLY | (process.platform === 'win32' ? 0 : constants.O_NONBLOCK)

export class FileRefused extends Error {
  readonly code: string
  constructor(code: string, message: string) {
    super(message)
    this.code = code
  }
}

function refuseKind(isFile: boolean, isDir: boolean, path: string): void {
  if (isDir) throw new FileRefused('EISDIR', `${path} is a folder, not a file`)
  if (!isFile)
    throw new FileRefused('ENOTREG', `${path} is not a regular file (a pipe or a device?)`)
}

function tooBig(path: string, size: number, max: number): FileRefused {
  return new FileRefused(
    'EFBIG',
    `${path} is ${(size / 1048576).toFixed(1)} MiB; more than the ${(max / 1048576).toFixed(1)} MiB such a file can be`
  )
}

/**
 * Read a regular file of at most `max` bytes. Opened non-blocking-safe: the type is checked on the
 * open descriptor before any read, so a FIFO is refused instead of blocking the event loop.
 */
export function readSmallFileSync(path: string, max: number): Buffer {
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, forever.
  const fd = openSync(path, OPEN_FLAGS)
  try {
    const st = fstatSync(fd)
    refuseKind(st.isFile(), st.isDirectory(), path)
    if (st.size > max) throw tooBig(path, st.size, max)
    const buf = Buffer.alloc(st.size)
    let off = 0
    while (off < st.size) {
      const n = readSync(fd, buf, off, st.size - off, off)
      if (n === 0) break
      off += n
    }
    return buf.subarray(0, off)
  } finally {
    closeSync(fd)
  }
}

/** The async twin of readSmallFileSync. */
export async function readSmallFile(path: string, max: number): Promise<Buffer> {
  const fh = await open(path, OPEN_FLAGS)
  try {
    const st = await fh.stat()
    refuseKind(st.isFile(), st.isDirectory(), path)
    if (st.size > max) throw tooBig(path, st.size, max)
    const { buffer, bytesRead } = await fh.read(Buffer.alloc(st.size), 0, st.size, 0)
    return buffer.subarray(0, bytesRead)
  } finally {
    await fh.close()
  }
}
