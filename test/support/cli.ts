import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { join } from 'node:path'

/** The repository's root, where `openemploi` runs from. */
export const ROOT = new URL('../../', import.meta.url).pathname

/**
 * Starts `openemploi ARGS…` from the sources as users run it, in a child process. No dataset is
 * loaded unless `env` names some (loading them all takes most of a minute).
 */
export function startCli(args: readonly string[], env: Record<string, string>): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/run.ts'), ...args], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', DATASETS: 'none', ...env },
  })
}

/** Runs `openemploi ARGS…` to its end: exit code and what it wrote. */
export async function runCli(args: readonly string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = startCli(args, env)
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  return { code, stdout, stderr }
}
