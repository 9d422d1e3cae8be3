import { Writable } from 'node:stream'

/** A log destination that keeps every JSON line written, as text and parsed: tests read what the service logged. */
export function capturedLog(): { stream: Writable; lines: Record<string, unknown>[]; texts: string[] } {
  const lines: Record<string, unknown>[] = []
  const texts: string[] = []
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line) continue
        texts.push(line)
        lines.push(JSON.parse(line) as Record<string, unknown>)
      }
      done()
    },
  })
  return { stream, lines, texts }
}
