import { describe, expect, it } from 'vitest'
import type { ResultRow } from '../../../../shared/api.ts'
import {
  pageOf,
  pagesForRange,
  pagesToEvict,
  rowAt
} from '../../../../renderer/src/features/results/page-cache.ts'

describe('pageOf', () => {
  it.each([
    [0, 0],
    [199, 0],
    [200, 1],
    [99_999, 499],
    [-5, 0]
  ])('row %i is on page %i', (index, page) => {
    expect(pageOf(index, 200)).toBe(page)
  })
})

describe('pagesForRange', () => {
  it.each([
    ['unknown total asks for the first page only', 500, 520, null, [0]],
    ['no rows', 0, 30, 0, []],
    ['a window inside one page', 10, 40, 100_000, [0]],
    ['a window across a boundary', 190, 215, 100_000, [0, 1]],
    ['prefetch below zero is clamped', -60, 20, 100_000, [0]],
    ['a window past the end is clamped to the last row', 99_990, 100_100, 100_000, [499]],
    ['a window wholly past the end gives the last page', 5_000, 5_030, 150, [0]],
    ['reversed bounds', 420, 380, 100_000, [1, 2]],
    ['a tall window', 0, 650, 100_000, [0, 1, 2, 3]]
  ] as const)('%s', (_label, first, last, total, pages) => {
    expect(pagesForRange(first, last, total, 200)).toEqual(pages)
  })

  it('never asks for more than the window needs on a 100,000-row run', () => {
    for (let first = 0; first < 100_000; first += 7_919) {
      const pages = pagesForRange(first - 60, first + 24 + 60, 100_000, 200)
      expect(pages.length).toBeLessThanOrEqual(2)
    }
  })
})

describe('rowAt', () => {
  const row = (id: number): ResultRow => ({
    id,
    url: `https://example.test/${String(id)}`,
    host: 'example.test',
    status: 200,
    ok: true,
    errorCode: null,
    errorMessage: null,
    attempts: 1,
    totalMs: 10,
    ttfbMs: 5,
    bytes: 100,
    title: null,
    finishedAt: 0,
    depth: 0
  })
  const pages = new Map([
    [0, [row(0), row(1)]],
    [3, [row(6), row(7)]]
  ])
  it.each([
    [0, 0],
    [1, 1],
    [6, 6],
    [7, 7],
    [2, undefined],
    [8, undefined]
  ])('row %i → id %s', (index, id) => {
    expect(rowAt(pages, index, 2)?.id).toBe(id)
  })
})

describe('pagesToEvict', () => {
  it.each([
    [
      'within the cap nothing goes',
      [
        [0, 1],
        [1, 2]
      ],
      [],
      3,
      []
    ],
    [
      'the least recently used go first',
      [
        [0, 1],
        [1, 5],
        [2, 3],
        [3, 4]
      ],
      [],
      2,
      [0, 2]
    ],
    [
      'pages on screen are kept',
      [
        [0, 1],
        [1, 5],
        [2, 3],
        [3, 4]
      ],
      [0],
      2,
      [2, 3]
    ],
    [
      'on-screen pages may exceed the cap',
      [
        [0, 1],
        [1, 2],
        [2, 3]
      ],
      [0, 1, 2],
      1,
      []
    ]
  ] as const)('%s', (_label, used, keep, max, evicted) => {
    expect(pagesToEvict(new Map(used.map(([p, t]) => [p, t])), new Set<number>(keep), max)).toEqual(evicted)
  })
})
