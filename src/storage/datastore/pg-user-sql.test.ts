import { createServer, type Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SqlBusyError } from '../../domain/datastore/datastore-errors.js'
import { PgUserSql } from './pg-user-sql.js'

describe('PgUserSql without a connection', () => {
  // A local server that accepts connections and never answers: the connection wait runs out.
  const sockets = new Set<Socket>()
  const server = createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  let port = 0

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    port = (server.address() as { port: number }).port
  })
  afterAll(async () => {
    for (const socket of sockets) socket.destroy()
    await new Promise((resolve) => server.close(resolve))
  })

  it('tells the caller to come back (503) when no connection comes within the wait, never fails otherwise', async () => {
    const executor = new PgUserSql(`postgres://nobody@127.0.0.1:${port}/none`, () => Promise.resolve([{ found: false }]), () => undefined)
    try {
      const failure = executor.query('select 1', { timeoutMs: 100 })
      await expect(failure).rejects.toBeInstanceOf(SqlBusyError)
      await expect(failure).rejects.toMatchObject({ status: 503, retryAfterSeconds: 1 })
    } finally {
      await executor.close()
    }
  })
})
