import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { openDatabase } from '../../src/storage/database.js'

declare module 'vitest' {
  interface ProvidedContext {
    /** A file holding an embedded store with every migration applied (see openMemoryDatabase). */
    storeTemplate: string
  }
}

let folder: string | undefined

/**
 * Once per run: an embedded store is initialised and migrated (seconds of CPU), and its data
 * folder dumped to a file that every suite's in-memory stores start from (a fraction of a second).
 */
export async function setup(project: TestProject): Promise<void> {
  const database = await openDatabase({ dataDir: 'memory://' })
  try {
    if (!database.dump) throw new Error('The embedded store cannot be dumped')
    folder = mkdtempSync(join(tmpdir(), 'openemploi-store-template-'))
    const file = join(folder, 'store.tar')
    writeFileSync(file, new Uint8Array(await database.dump()))
    project.provide('storeTemplate', file)
  } finally {
    await database.close()
  }
}

export function teardown(): void {
  if (folder) rmSync(folder, { recursive: true, force: true })
}
