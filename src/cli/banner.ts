/** What a newcomer needs once the server listens: where it is, where to read, how to call it. */
export interface StartFacts {
  readonly url: string
  readonly portal: string
  readonly docs: string
  /** The demo application's credentials file, when there is one. */
  readonly credentials?: string | undefined
}

/** The demo application created by this start: its secret is shown on a terminal only. */
export interface DemoCredentials {
  readonly client_id: string
  readonly client_secret: string
  readonly example: string
}

/** The addresses of the service at `base` (PUBLIC_URL, or the address it listens on). */
export function startFacts(base: string, credentials: string | undefined): StartFacts {
  return { url: base, portal: `${base}/portail`, docs: `${base}/docs`, ...(credentials ? { credentials } : {}) }
}

/**
 * The start banner for a person at a terminal: plain lines rather than JSON. Where the output is
 * not a terminal (a journal, a pipe), `serve` logs the same facts as one JSON line instead, and
 * never the secret, which stays in the credentials file (readable by its owner only).
 */
export function bannerText(facts: StartFacts, demo: DemoCredentials | undefined): string {
  const lines = [
    '',
    `OpenEmploi listens on ${facts.url}`,
    `  Portal         ${facts.portal}`,
    `  Documentation  ${facts.docs}`,
    `  Health         ${facts.url}/health`,
  ]
  if (facts.credentials) lines.push(`  Credentials    ${facts.credentials}`)
  if (demo) {
    lines.push(
      '',
      'Demo application created (its secret is shown once; it is kept in the credentials file):',
      `  client_id      ${demo.client_id}`,
      `  client_secret  ${demo.client_secret}`,
      `  token          ${demo.example}`,
    )
  }
  return `${lines.join('\n')}\n\n`
}
