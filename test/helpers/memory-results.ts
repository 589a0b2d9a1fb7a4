import { DEFAULT_CONFIG } from '../../shared/config.ts'
import type { RequestResult } from '../../shared/result.ts'
import { StoredResultStore } from '../../electron/core/run/stored-result-store.ts'
import { openMemoryRunStore } from '../../electron/core/store/index.ts'
import { FIXTURE_T0 } from './fixtures.ts'

/**
 * The result store a live run writes to and its tables query, on the in-memory run store (the one
 * runs use while the run database cannot be opened): one run, 'r', holding `results`, written
 * through its writer. A write that fails throws, so a test sees it.
 */
export function memoryResults(results: readonly RequestResult[] = []): StoredResultStore {
  const db = openMemoryRunStore()
  db.createRun({ id: 'r', name: 'r', config: DEFAULT_CONFIG, urls: [], createdAt: FIXTURE_T0 })
  const fail = (error: Error): never => {
    throw error
  }
  const store = new StoredResultStore({
    store: db,
    runId: 'r',
    stored: 0,
    writer: db.resultWriter('r', { onError: fail }),
    onError: fail
  })
  for (const r of results) store.add(r)
  return store
}
