import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs'
import { join } from 'node:path'

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Takes the embedded store's folder for this process. PGlite is a single-process database: a
 * second process opening the same folder (an import while the server runs) would corrupt it.
 * A lock left by a process that no longer exists is taken over.
 *
 * @returns a function that releases the lock.
 * @throws Error naming the process that holds the folder.
 */
export function lockDataDir(folder: string): () => void {
  const path = join(folder, 'openemploi.lock')
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx')
      writeSync(fd, String(process.pid))
      closeSync(fd)
      return () => {
        try {
          if (readFileSync(path, 'utf8') === String(process.pid)) unlinkSync(path)
        } catch {
          // Already gone: nothing to release.
        }
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const holder = Number(readFileSync(path, 'utf8'))
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
        throw new Error(`The store in ${folder} is in use by process ${holder}; stop it first (the embedded store is single-process).`)
      }
      unlinkSync(path)
    }
  }
  throw new Error(`Could not lock ${folder}`)
}
