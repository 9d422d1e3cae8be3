import { createServer, connect, type Socket } from 'node:net'
import { describe, expect, it } from 'vitest'
import { currentRequest, outsideRequest, requestIdOf, runInRequest } from './request-context.js'

describe('request context', () => {
  it('keeps a sane client id and replaces anything else', () => {
    expect(requestIdOf('a1B2-c.3:d~e+f/g=h@i_j')).toBe('a1B2-c.3:d~e+f/g=h@i_j')
    for (const insane of [undefined, '', 'x'.repeat(129), 'a b', 'a,b', 'a\tb', 'é', '{"reqId":1}', ['a', 'b']]) {
      expect(requestIdOf(insane)).toMatch(/^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/)
    }
  })

  it('a connection opened during a request reports its later failure in that request’s context, unless told otherwise', async () => {
    const server = createServer((socket) => socket.destroy())
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as { port: number }).port
    const seen: (string | undefined)[] = []
    const closed = new Promise<void>((resolve) => {
      runInRequest({ requestId: 'long-answered' }, () => {
        const socket: Socket = connect(port, '127.0.0.1')
        socket.on('error', () => undefined)
        socket.on('close', () => {
          seen.push(currentRequest()?.requestId)
          seen.push(outsideRequest(() => currentRequest()?.requestId))
          resolve()
        })
      })
    })
    await closed
    server.close()
    expect(seen).toEqual(['long-answered', undefined])
  })
})
