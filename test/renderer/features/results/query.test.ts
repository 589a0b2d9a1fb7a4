import { describe, expect, it } from 'vitest'
import { resultQuerySchema } from '../../../../shared/api.ts'
import {
  buildQuery,
  defaultFilters,
  hasNarrowingFilters,
  nextSort,
  queryKey,
  toggleIn,
  withOutcome,
  type BaseQuery,
  type SortState
} from '../../../../renderer/src/features/results/query.ts'
import { columnsFor, gridTemplate } from '../../../../renderer/src/features/results/columns.ts'

describe('buildQuery', () => {
  it('builds a query the contract accepts once offset and limit are added', () => {
    const q = buildQuery('run-7', {
      ...defaultFilters('failed', ['TIMEOUT_CONNECT']),
      statuses: [503, 0],
      hosts: ['b.test', 'a.test'],
      depths: [3, 0, 3],
      search: '  login  '
    })
    const parsed = resultQuerySchema.parse({ ...q, offset: 400, limit: 200 })
    expect(parsed).toMatchObject({
      runId: 'run-7',
      outcome: 'failed',
      statuses: [0, 503],
      errorCodes: ['TIMEOUT_CONNECT'],
      hosts: ['a.test', 'b.test'],
      depths: [0, 3],
      search: 'login',
      sort: { column: 'id', direction: 'asc' }
    })
  })

  it('gives the same key for the same choices in any order, with duplicates', () => {
    const a = buildQuery('r', { ...defaultFilters(), statuses: [404, 200, 404], hosts: ['x', 'y'] })
    const b = buildQuery('r', { ...defaultFilters(), statuses: [200, 404], hosts: ['y', 'x'] })
    expect(queryKey(a)).toBe(queryKey(b))
  })

  it.each<[string, Partial<BaseQuery>]>([
    ['run', { runId: 'other' }],
    ['outcome', { outcome: 'ok' }],
    ['sort direction', { sort: { column: 'id', direction: 'desc' } }],
    ['search', { search: 'x' }],
    ['status', { statuses: [200] }],
    ['depth', { depths: [2] }],
    ['sort column', { sort: { column: 'depth', direction: 'asc' } }]
  ])('changes the key when the %s changes', (_label, change) => {
    const base = buildQuery('r', defaultFilters())
    expect(queryKey({ ...base, ...change })).not.toBe(queryKey(base))
  })

  it('withOutcome swaps only the outcome', () => {
    const q = buildQuery('r', { ...defaultFilters('ok'), hosts: ['h'] })
    expect(withOutcome(q, 'failed')).toEqual({ ...q, outcome: 'failed' })
  })
})

describe('nextSort', () => {
  it.each<[SortState, Parameters<typeof nextSort>[1], SortState]>([
    [{ column: 'id', direction: 'asc' }, 'id', { column: 'id', direction: 'desc' }],
    [{ column: 'id', direction: 'desc' }, 'id', { column: 'id', direction: 'asc' }],
    [{ column: 'id', direction: 'asc' }, 'url', { column: 'url', direction: 'asc' }],
    [{ column: 'id', direction: 'asc' }, 'totalMs', { column: 'totalMs', direction: 'desc' }],
    [{ column: 'totalMs', direction: 'desc' }, 'totalMs', { column: 'totalMs', direction: 'asc' }],
    [{ column: 'url', direction: 'desc' }, 'bytes', { column: 'bytes', direction: 'desc' }],
    // Shallowest first: the seeds, then what was found from them.
    [{ column: 'totalMs', direction: 'desc' }, 'depth', { column: 'depth', direction: 'asc' }]
  ])('%j + click %s → %j', (current, column, next) => {
    expect(nextSort(current, column)).toEqual(next)
  })
})

describe('toggleIn', () => {
  it.each([
    [[1, 2], 3, [1, 2, 3]],
    [[1, 2, 3], 2, [1, 3]],
    [[], 5, [5]]
  ])('%j toggle %i → %j', (list, v, out) => {
    expect(toggleIn(list, v)).toEqual(out)
  })
})

describe('hasNarrowingFilters', () => {
  it.each([
    [defaultFilters(), false],
    [defaultFilters('failed'), false],
    [{ ...defaultFilters(), search: '   ' }, false],
    [{ ...defaultFilters(), search: 'a' }, true],
    [defaultFilters('all', ['DNS']), true],
    [{ ...defaultFilters(), hosts: ['h'] }, true],
    [{ ...defaultFilters(), depths: [0] }, true]
  ])('%j → %s', (f, narrowing) => {
    expect(hasNarrowingFilters(f)).toBe(narrowing)
  })
})

describe('columnsFor', () => {
  it('gives a spider run a sortable, right-aligned Depth column, and a list run none', () => {
    const spider = columnsFor(true)
    const list = columnsFor(false)
    expect(spider.find((c) => c.id === 'depth')).toMatchObject({
      label: 'Depth',
      sort: 'depth',
      align: 'end'
    })
    expect(list.map((c) => c.id)).not.toContain('depth')
    // Only the Depth column differs, and the grid has its track (narrow, fixed) where it stands.
    expect(spider.filter((c) => c.id !== 'depth')).toEqual(list)
    expect(gridTemplate(spider)).toContain(' 72px 58px minmax(120px, 2fr)')
    expect(spider.map((c) => c.id)).toEqual([
      'id',
      'url',
      'host',
      'status',
      'errorCode',
      'attempts',
      'totalMs',
      'ttfbMs',
      'bytes',
      'depth',
      'title'
    ])
  })
})
