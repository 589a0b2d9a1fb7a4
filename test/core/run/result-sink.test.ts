import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { unfilteredQuery } from '../../../shared/api.ts'
import type { RequestResult } from '../../../shared/result.ts'
import { DEFAULT_CONFIG } from '../../../shared/config.ts'
import { LiveRun } from '../../../electron/core/run/live-run.ts'
import { holdClaim, newClaim } from '../../../electron/core/run/owner.ts'
import { StoredResultStore } from '../../../electron/core/run/stored-result-store.ts'
import { openMemoryRunStore, type RunStore } from '../../../electron/core/store/index.ts'
import { startServer, type TestServer } from '../../helpers/engine-harness.ts'

/**
 * The result sink is a seam: a live run hands every finished result to the sink it is given (a
 * shared store could stand there) and pages its tables from the same object.
 */

let server: TestServer
let store: RunStore

beforeAll(async () => {
  server = await startServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'))
  store = openMemoryRunStore()
})

afterAll(async () => {
  store.close()
  await server.close()
})

describe('a live run and its result sink', () => {
  it('sends every result to the sink it was given, and reads its tables from it', async () => {
    const urls = Array.from({ length: 12 }, (_, i) => server.url(`/p/${i}`))
    const claim = newClaim()
    store.createRun({
      id: 'sink',
      name: 'sink',
      config: DEFAULT_CONFIG,
      urls,
      createdAt: Date.now(),
      owner: claim
    })
    holdClaim(claim)
    const seen: RequestResult[] = []
    const run = new LiveRun({
      runId: 'sink',
      name: 'sink',
      config: DEFAULT_CONFIG,
      tasks: urls.map((url, id) => ({ id, url })),
      total: urls.length,
      store,
      claim,
      onSafeguard: 'pause',
      onBatch: () => undefined,
      log: () => undefined,
      results: (onError) => {
        const stored = new StoredResultStore({
          store,
          runId: 'sink',
          stored: 0,
          writer: store.resultWriter('sink', { onError }),
          onError
        })
        const add = stored.add.bind(stored)
        stored.add = (result) => {
          seen.push(result)
          add(result)
        }
        return stored
      }
    })
    run.start()
    const outcome = await run.finished
    expect(outcome.status).toEqual({ kind: 'completed' })
    expect(seen.map((r) => r.id).sort((a, b) => a - b)).toEqual(urls.map((_, i) => i))
    expect(run.results.query(unfilteredQuery('sink', { limit: 50 })).total).toBe(12)
  })
})
