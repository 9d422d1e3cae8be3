import pg from 'pg'

/** A schema of a bench's own on a shared PostgreSQL, the URL that works in it, and its removal. */
export interface BenchSchema {
  readonly name: string
  readonly url: string
  drop(): Promise<void>
}

async function run(url: string, statement: string): Promise<void> {
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  try {
    await admin.query(statement)
  } finally {
    await admin.end()
  }
}

/**
 * Creates schema `name` on the database of `url`; its URL sets the search path to it (and the
 * `application_name`, when given, so that the bench's backends can be told apart).
 */
export async function createBenchSchema(url: string, name: string, options: { applicationName?: string } = {}): Promise<BenchSchema> {
  await run(url, `create schema ${name}`)
  const scoped = new URL(url)
  scoped.searchParams.set('options', `-c search_path=${name}`)
  if (options.applicationName !== undefined) scoped.searchParams.set('application_name', options.applicationName)
  return { name, url: scoped.toString(), drop: () => run(url, `drop schema ${name} cascade`) }
}
