import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** The repository's root, where `openemploi` runs from. */
export const ROOT = new URL('../../', import.meta.url).pathname

/** How long a child asked to stop may take before it is killed (a loaded machine is slow, not stuck). */
const STOP_GRACE_MS = 60_000

/** Every child started by this test file and not yet seen to exit. */
const running = new Set<ChildProcessWithoutNullStreams>()
/** Every folder made by this test file, removed once its children are gone. */
const folders: string[] = []

/**
 * Starts `openemploi ARGS…` from the sources as users run it, in a child process. No dataset is
 * loaded unless `env` names some (loading them all takes most of a minute).
 */
export function startCli(args: readonly string[], env: Record<string, string>): ChildProcessWithoutNullStreams {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/run.ts'), ...args], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', DATASETS: 'none', ...env },
  })
  running.add(child)
  child.on('close', () => running.delete(child))
  return child
}

/** Resolves with the child's exit code once it has exited and its output is closed. */
export function exited(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  if (!running.has(child)) return Promise.resolve(child.exitCode)
  return new Promise((resolve) => child.once('close', (code: number | null) => resolve(code)))
}

/**
 * Sends `signal` and waits for the child to exit; a child still there after a minute is killed.
 * Resolves with the exit code (null when it died of a signal).
 */
export async function stopChild(child: ChildProcessWithoutNullStreams, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  const code = exited(child)
  if (!running.has(child)) return code
  child.kill(signal)
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS)
  try {
    return await code
  } finally {
    clearTimeout(timer)
  }
}

/** Runs `openemploi ARGS…` to its end: exit code and what it wrote. */
export async function runCli(args: readonly string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = startCli(args, env)
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const code = await exited(child)
  return { code, stdout, stderr }
}

/** Resolves with the port once the server logs that it listens; rejects if it exits first. */
export function listeningPort(child: ChildProcessWithoutNullStreams): Promise<number> {
  return new Promise((resolve, reject) => {
    let buffer = ''
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString()
      const match = /Server listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(buffer)
      if (match?.[1]) resolve(Number(match[1]))
    })
    void exited(child).then((code) => reject(new Error(`server exited with ${code}: ${buffer}`)))
  })
}

/** Waits until GET /health answers 200 (the index is loaded). */
export async function waitHealthy(base: string): Promise<Response> {
  for (;;) {
    const health = await fetch(`${base}/health`)
    if (health.status === 200) return health
    await health.arrayBuffer()
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** Starts `openemploi serve`; resolves with the child and its base URL once /health answers 200. */
export async function serve(env: Record<string, string>): Promise<{ server: ChildProcessWithoutNullStreams; base: string }> {
  const server = startCli(['serve'], { PORT: '0', ...env })
  const base = `http://127.0.0.1:${await listeningPort(server)}`
  await waitHealthy(base)
  return { server, base }
}

/** A new folder under the system's temporary one, removed by `cleanUpChildren`. */
export function tempFolder(prefix: string): string {
  const folder = mkdtempSync(join(tmpdir(), prefix))
  folders.push(folder)
  return folder
}

/**
 * After a file's tests: every child still running (a test that failed or timed out never reached
 * its own stop) is killed and waited for, then the folders are removed. Removing a store's folder
 * while its server still writes in it fails with ENOTEMPTY and leaves it behind.
 */
export async function cleanUpChildren(): Promise<void> {
  await Promise.all([...running].map((child) => stopChild(child, 'SIGKILL')))
  await Promise.all(folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 })))
}
