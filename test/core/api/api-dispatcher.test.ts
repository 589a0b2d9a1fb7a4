import { describe, expect, it, vi } from 'vitest'
import { API_METHOD_NAMES, ApiError, type ApiMethod } from '../../../shared/api.ts'
import { createApiDispatcher, toWireError } from '../../../electron/core/api/api-dispatcher.ts'
import type { CrawlerBackend } from '../../../electron/core/api/backend.ts'

/** A backend whose every method records its arguments and answers `ok:<method>`. */
function fakeBackend(overrides: Partial<CrawlerBackend> = {}) {
  const calls: { method: string; args: unknown[] }[] = []
  const methods = Object.fromEntries(
    API_METHOD_NAMES.map((m) => [
      m,
      (...args: unknown[]) => {
        calls.push({ method: m, args })
        return Promise.resolve(`ok:${m}`)
      }
    ])
  )
  const backend = {
    ...methods,
    subscribe: () => () => undefined,
    close: () => Promise.resolve(),
    ...overrides
  } as unknown as CrawlerBackend
  return { backend, calls }
}

const QUERY = { runId: 'run-1', offset: 0, limit: 50 }
const PREFS = { config: {}, presetId: null, demoOffered: false, theme: 'system' }

const VALID: Record<ApiMethod, unknown[]> = {
  getAppInfo: [],
  startDemoTarget: [],
  startRun: [{ urlsText: 'https://example.com/', config: {} }],
  pauseRun: ['run-1'],
  resumeRun: ['run-1'],
  stopRun: ['run-1'],
  updateSettings: ['run-1', { concurrency: 10 }],
  getSnapshot: [],
  queryResults: [QUERY],
  getResultFacets: ['run-1'],
  getResult: ['run-1', 3],
  getFailureGroups: ['run-1'],
  getHosts: ['run-1'],
  getPath: ['run-1', 3],
  listRuns: [],
  renameRun: ['run-1', 'Shop crawl'],
  setRunNote: ['run-1', 'checked by Ana'],
  deleteRun: ['run-1'],
  rerun: ['run-1'],
  exportRun: [{ kind: 'run', runId: 'run-1', format: 'html' }],
  compareRuns: ['run-1', 'run-2'],
  queryChanges: [{ baseRunId: 'run-1', otherRunId: 'run-2', offset: 0, limit: 50 }],
  getStoreStatus: [],
  startFreshStore: [],
  getPreferences: [],
  savePreferences: [PREFS],
  getUrlDraft: [],
  saveUrlDraft: ['https://example.com/']
}

async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise
  } catch (error) {
    if (error instanceof ApiError) return error
    throw error
  }
  throw new Error('expected a refusal')
}

describe('createApiDispatcher', () => {
  it.each(API_METHOD_NAMES)('passes a valid %s call through to the backend', async (method) => {
    const { backend, calls } = fakeBackend()
    const dispatch = createApiDispatcher(backend)
    await expect(dispatch(method, VALID[method])).resolves.toBe(`ok:${method}`)
    expect(calls).toHaveLength(1)
    expect(calls[0]?.method).toBe(method)
  })

  it('hands the backend the parsed arguments, defaults filled in', async () => {
    const { backend, calls } = fakeBackend()
    await createApiDispatcher(backend)('queryResults', [QUERY])
    expect(calls[0]?.args[0]).toEqual({
      ...QUERY,
      sort: { column: 'id', direction: 'asc' },
      outcome: 'all',
      statuses: [],
      errorCodes: [],
      hosts: [],
      depths: [],
      search: ''
    })
  })

  it('accepts getSnapshot with or without a run id', async () => {
    const { backend, calls } = fakeBackend()
    const dispatch = createApiDispatcher(backend)
    await dispatch('getSnapshot', [])
    await dispatch('getSnapshot', ['run-9'])
    expect(calls.map((c) => c.args)).toEqual([[], ['run-9']])
  })

  it.each<{ method: ApiMethod; args: unknown; message: string | RegExp }>([
    { method: 'pauseRun', args: [], message: 'pauseRun takes at least 1 argument, got 0' },
    { method: 'pauseRun', args: ['a', 'b'], message: 'pauseRun takes at most 1 argument, got 2' },
    { method: 'getAppInfo', args: [1], message: 'getAppInfo takes at most 0 arguments, got 1' },
    { method: 'pauseRun', args: [42], message: /^pauseRun argument 1: Invalid input: expected string/ },
    { method: 'pauseRun', args: [''], message: /^pauseRun argument 1: Too small/ },
    { method: 'getSnapshot', args: [7], message: /^getSnapshot argument 1: .*expected string/ },
    { method: 'getSnapshot', args: ['a', 'b'], message: /^getSnapshot: expected at most 1 argument/ },
    { method: 'getResult', args: ['run-1', -1], message: /^getResult argument 2: Too small/ },
    {
      method: 'getResult',
      args: ['run-1', 1.5],
      message: /^getResult argument 2: Invalid input: expected int/
    },
    {
      method: 'queryResults',
      args: [{ ...QUERY, limit: 5_000 }],
      message: /^queryResults argument 1: limit: Too big: expected number to be <=1000/
    },
    {
      method: 'queryResults',
      args: [{ ...QUERY, sort: { column: 'password', direction: 'asc' } }],
      message: /^queryResults argument 1: sort\.column: Invalid option/
    },
    {
      method: 'queryResults',
      args: [{ ...QUERY, errorCodes: ['OOPS'] }],
      message: /^queryResults argument 1: errorCodes\.0: Invalid option/
    },
    {
      method: 'queryResults',
      args: [{ ...QUERY, extra: true }],
      message: /^queryResults argument 1: Unrecognized key: "extra"/
    },
    {
      method: 'updateSettings',
      args: ['run-1', { concurrency: 0, userAgent: 'x' }],
      message:
        /updateSettings argument 2: concurrency: Too small.*; updateSettings argument 2: Unrecognized key: "userAgent"/
    },
    {
      method: 'startRun',
      args: [{ urlsText: 5, config: {} }],
      message: /^startRun argument 1: urlsText: Invalid input: expected string, received number/
    },
    {
      method: 'savePreferences',
      args: [{ ...PREFS, theme: 'neon' }],
      message: /^savePreferences argument 1: theme: Invalid option/
    },
    { method: 'listRuns', args: { 0: 'x' }, message: 'listRuns: arguments must be an array, got an object' },
    { method: 'listRuns', args: null, message: 'listRuns: arguments must be an array, got null' }
  ])('refuses $method($args) with a message naming the argument and the field', async (c) => {
    const { backend, calls } = fakeBackend()
    const error = await refusal(createApiDispatcher(backend)(c.method, c.args as unknown[]))
    expect(error.code).toBe('BAD_REQUEST')
    if (typeof c.message === 'string') expect(error.message).toBe(c.message)
    else expect(error.message).toMatch(c.message)
    expect(calls).toEqual([])
  })

  it.each([
    '__proto__',
    'constructor',
    'toString',
    'hasOwnProperty',
    'subscribe',
    'close',
    'onEvents',
    '',
    42,
    null
  ])('refuses the forged method name %j', async (name) => {
    const { backend, calls } = fakeBackend()
    const error = await refusal(createApiDispatcher(backend)(name as ApiMethod, []))
    expect(error.code).toBe('BAD_REQUEST')
    expect(error.message).toMatch(/^Unknown method /)
    expect(calls).toEqual([])
  })

  it('passes ApiErrors from the backend through unchanged', async () => {
    const { backend } = fakeBackend({
      pauseRun: () => Promise.reject(new ApiError('NOT_FOUND', 'No run run-1'))
    })
    const log = vi.fn()
    const error = await refusal(createApiDispatcher(backend, { log })('pauseRun', ['run-1']))
    expect(error).toMatchObject({ code: 'NOT_FOUND', message: 'No run run-1' })
    expect(log).not.toHaveBeenCalled()
  })

  it('turns a bug into INTERNAL without a stack trace, and logs it once', async () => {
    const bug = new TypeError(
      "Cannot read properties of undefined (reading 'x')\n    at secret (/src/file.ts:1:1)"
    )
    const { backend } = fakeBackend({ listRuns: () => Promise.reject(bug) })
    const log = vi.fn()
    const error = await refusal(createApiDispatcher(backend, { log })('listRuns', []))
    expect(error.code).toBe('INTERNAL')
    expect(error.message).toBe(
      "listRuns failed unexpectedly: Cannot read properties of undefined (reading 'x')"
    )
    expect(error.message).not.toContain('/src/file.ts')
    expect(log).toHaveBeenCalledTimes(1)
    expect(log.mock.calls[0]?.[1]).toBe(bug)
  })

  it('treats a synchronous throw like a rejection', async () => {
    const { backend } = fakeBackend({
      getAppInfo: () => {
        throw new Error('boom')
      }
    })
    const error = await refusal(createApiDispatcher(backend, { log: () => undefined })('getAppInfo', []))
    expect(error).toMatchObject({ code: 'INTERNAL', message: 'getAppInfo failed unexpectedly: boom' })
  })
})

describe('toWireError', () => {
  it.each<{ error: unknown; wire: { code: string; message: string } }>([
    {
      error: new ApiError('CONFLICT', 'Run r is still running'),
      wire: { code: 'CONFLICT', message: 'Run r is still running' }
    },
    {
      error: new Error('disk full\n  at x (y.ts:1)'),
      wire: { code: 'INTERNAL', message: 'Internal error: disk full' }
    },
    { error: 'a string', wire: { code: 'INTERNAL', message: 'Internal error: a string' } },
    { error: { weird: true }, wire: { code: 'INTERNAL', message: 'Internal error: unknown error' } }
  ])('$error → $wire.code', ({ error, wire }) => {
    const out = toWireError(error)
    expect(out).toEqual(wire)
    expect(JSON.parse(JSON.stringify(out))).toEqual(wire)
  })
})
