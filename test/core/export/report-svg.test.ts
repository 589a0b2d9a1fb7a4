import { DomUtils, parseDocument } from 'htmlparser2'
import { describe, expect, it } from 'vitest'
import {
  areaData,
  coord,
  downsample,
  linearScale,
  logNiceDomain,
  logScale,
  logTicks,
  MAX_SERIES_POINTS,
  niceStep,
  niceTicks,
  pathData,
  timeUnit
} from '../../../electron/core/export/report-scale.ts'
import { barRows, FRAME, histogramChart, lineChart } from '../../../electron/core/export/report-svg.ts'

describe('ticks', () => {
  it.each([
    [10, 5, 2],
    [1, 5, 0.2],
    [0.3, 5, 0.1],
    [97, 5, 20],
    [1000, 5, 200],
    [1234, 6, 500],
    [0, 5, 1],
    [-3, 5, 1]
  ])('niceStep(%d, %d) = %d', (span, count, step) => {
    expect(niceStep(span, count)).toBeCloseTo(step, 12)
  })

  it.each([
    { lo: 0, hi: 10, ticks: [0, 2, 4, 6, 8, 10] },
    { lo: 0, hi: 907, ticks: [0, 200, 400, 600, 800, 1000] },
    { lo: 0, hi: 0.3, ticks: [0, 0.1, 0.2, 0.3] },
    { lo: 0, hi: 16.8, count: 6, ticks: [0, 5, 10, 15, 20] },
    { lo: 0, hi: 0, ticks: [0, 1] },
    { lo: 5, hi: 5, ticks: [4, 4.5, 5, 5.5, 6] },
    { lo: 0, hi: 3, integer: true, ticks: [0, 1, 2, 3] },
    { lo: 0, hi: 1, integer: true, ticks: [0, 1] }
  ])('niceTicks($lo, $hi) = $ticks', ({ lo, hi, count, integer, ticks }) => {
    expect(niceTicks(lo, hi, count ?? 5, { integer: integer ?? false })).toEqual(ticks)
  })

  it('encloses the data with its first and last tick', () => {
    for (const hi of [0.07, 1.3, 17, 99.5, 4321, 1e6 + 1]) {
      const ticks = niceTicks(0, hi)
      expect(ticks[0]).toBe(0)
      expect(ticks[ticks.length - 1]).toBeGreaterThanOrEqual(hi)
      expect(ticks.length).toBeLessThanOrEqual(12)
    }
  })

  it.each([
    { lo: 1, hi: 1000, ticks: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] },
    { lo: 10, hi: 1000, ticks: [10, 20, 50, 100, 200, 500, 1000] },
    { lo: 0.5, hi: 50_000, ticks: [1, 10, 100, 1000, 10_000] },
    { lo: 3, hi: 4, ticks: [3, 4] },
    { lo: 0, hi: 10, ticks: [] }
  ])('logTicks($lo, $hi) = $ticks', ({ lo, hi, ticks }) => {
    expect(logTicks(lo, hi)).toEqual(ticks)
  })

  it.each([
    { lo: 10, hi: 910, domain: [10, 1000] },
    { lo: 3.2, hi: 870, domain: [2, 1000] },
    { lo: 0.04, hi: 0.3, domain: [0.02, 0.5] },
    { lo: 120, hi: 120, domain: [100, 200] },
    { lo: 0, hi: 5, domain: [1, 10] }
  ])('logNiceDomain($lo, $hi) = $domain', ({ lo, hi, domain }) => {
    expect(logNiceDomain(lo, hi)).toEqual(domain)
  })

  it.each([
    [60, 's'],
    [180, 's'],
    [181, 'min'],
    [3 * 3600, 'min'],
    [86_400, 'h']
  ])('a %d s run is drawn in %s', (span, unit) => {
    expect(timeUnit(span).unit).toBe(unit)
  })
})

describe('scales and paths', () => {
  it('maps a linear domain onto the range, inverted for y', () => {
    const y = linearScale([0, 1000], [200, 10])
    expect([y(0), y(500), y(1000)]).toEqual([200, 105, 10])
    expect(linearScale([5, 5], [0, 100])(5)).toBe(50)
  })

  it('maps a log domain so each decade gets the same width', () => {
    const x = logScale([1, 1000], [0, 300])
    expect(x(1)).toBeCloseTo(0)
    expect(x(10)).toBeCloseTo(100)
    expect(x(100)).toBeCloseTo(200)
    expect(x(0)).toBe(0)
  })

  it('writes one-decimal path data and breaks lines at gaps', () => {
    expect(coord(1.26)).toBe('1.3')
    expect(pathData([[0, 0], [10.04, 5], null, [20, 1], [30, 2]])).toBe('M0 0L10 5M20 1L30 2')
    expect(pathData([null, null])).toBe('')
  })

  it('closes one area per segment down to the baseline', () => {
    expect(areaData([[0, 5], [10, 3], null, [20, 1]], 100)).toBe(
      'M0 100L0 5L10 3L10 100ZM20 100L20 1L20 100Z'
    )
  })

  it('downsamples to at most max items, keeping the first and the last', () => {
    const items = Array.from({ length: 10_001 }, (_, i) => i)
    const out = downsample(items, 500)
    expect(out).toHaveLength(500)
    expect(out[0]).toBe(0)
    expect(out[499]).toBe(10_000)
    expect(out.every((v, i) => i === 0 || v > (out[i - 1] ?? -1))).toBe(true)
    expect(downsample([1, 2, 3], 500)).toEqual([1, 2, 3])
  })
})

type Element = ReturnType<typeof DomUtils.findAll>[number]

/** Every number in an SVG path's data, as [x, y] pairs. */
function pathPoints(d: string): [number, number][] {
  const nums = (d.match(/-?\d+(\.\d+)?/g) ?? []).map(Number)
  const pairs: [number, number][] = []
  for (let i = 0; i + 1 < nums.length; i += 2) pairs.push([nums[i]!, nums[i + 1]!])
  return pairs
}

function svgOf(html: string): Element {
  const svg = DomUtils.findOne((e) => e.name === 'svg', parseDocument(html, { xmlMode: false }).children)
  if (!svg) throw new Error('no svg')
  return svg
}

const byClass = (root: Element, cls: string): Element[] =>
  DomUtils.findAll((e) => (e.attribs['class'] ?? '').split(' ').includes(cls), [root])

describe('line chart', () => {
  const many = Array.from({ length: 5_000 }, (_, i): [number, number | null] => [
    i / 10,
    i % 1000 === 500 ? null : 100 + Math.sin(i / 50) * 80
  ])
  const svg = svgOf(
    lineChart({
      label: 'test <chart>',
      x: { label: 'time since start (s)', ticks: niceTicks(0, 500), format: String },
      y: { label: 'latency (ms)', ticks: niceTicks(0, 180), format: String },
      series: [
        { cls: 'c-p50', points: many },
        { cls: 'c-ok', points: many.map(([x]) => [x, 50]), area: true }
      ]
    }).html
  )

  it('keeps at most MAX_SERIES_POINTS points per line, all inside the plot', () => {
    const lines = byClass(svg, 'line')
    expect(lines).toHaveLength(2)
    for (const line of lines) {
      const points = pathPoints(line.attribs['d'] ?? '')
      expect(points.length).toBeGreaterThan(100)
      expect(points.length).toBeLessThanOrEqual(MAX_SERIES_POINTS)
      for (const [x, y] of points) {
        expect(x).toBeGreaterThanOrEqual(FRAME.left - 0.05)
        expect(x).toBeLessThanOrEqual(FRAME.width - FRAME.right + 0.05)
        expect(y).toBeGreaterThanOrEqual(FRAME.top - 0.05)
        expect(y).toBeLessThanOrEqual(FRAME.height - FRAME.bottom + 0.05)
      }
    }
    expect(byClass(svg, 'area')).toHaveLength(1)
  })

  it('draws x increasing left to right and larger y higher up', () => {
    const flat = pathPoints(
      byClass(svg, 'c-ok').find((e) => e.attribs['class']?.includes('line'))!.attribs['d']!
    )
    expect(flat.every(([x], i) => i === 0 || x >= flat[i - 1]![0])).toBe(true)
    const ticks = DomUtils.findAll(
      (e) => e.attribs['class'] === 'tick' && e.attribs['text-anchor'] === 'end',
      [svg]
    )
    const ys = ticks.map((t) => Number(t.attribs['y']))
    expect(ys.every((y, i) => i === 0 || y < ys[i - 1]!)).toBe(true)
  })

  it('labels both axes with units and escapes the label', () => {
    const labels = byClass(svg, 'axis-label').map((e) => DomUtils.textContent(e))
    expect(labels).toEqual(['latency (ms)', 'time since start (s)'])
    expect(svg.attribs['aria-label']).toBe('test <chart>')
    // htmlparser2 lower-cases attribute names in HTML mode.
    expect(svg.attribs['viewbox']).toBe(`0 0 ${FRAME.width} ${FRAME.height}`)
  })
})

describe('histogram chart', () => {
  const bins = [
    { lo: 10, hi: 20, count: 5 },
    { lo: 20, hi: 40, count: 0 },
    { lo: 40, hi: 80, count: 20 },
    { lo: 80, hi: 160, count: 10 }
  ]
  const svg = svgOf(
    histogramChart({
      label: 'dist',
      bins,
      x: {
        label: 'latency (ms, log scale)',
        ticks: [10, 20, 50, 100, 200],
        format: String,
        domain: [10, 200]
      },
      y: { label: 'requests', ticks: [0, 5, 10, 15, 20], format: String },
      markers: [
        { cls: 'c-p50', value: 60 },
        { cls: 'c-p95', value: null }
      ]
    }).html
  )

  it('draws non-empty bins left to right at log widths, heights proportional to counts', () => {
    const bars = byClass(svg, 'bar')
    expect(bars).toHaveLength(3)
    const geo = bars.map((b) => ({
      x: Number(b.attribs['x']),
      w: Number(b.attribs['width']),
      h: Number(b.attribs['height'])
    }))
    expect(geo[0]!.x).toBeLessThan(geo[1]!.x)
    expect(geo[1]!.x).toBeLessThan(geo[2]!.x)
    // Each bin spans one doubling: equal widths on a log axis.
    expect(Math.abs(geo[0]!.w - geo[2]!.w)).toBeLessThan(0.3)
    expect(geo[1]!.h / geo[0]!.h).toBeCloseTo(4, 1)
    expect(geo[2]!.h / geo[0]!.h).toBeCloseTo(2, 1)
  })

  it('puts a marker at its exact value and leaves out unknown ones', () => {
    const markers = byClass(svg, 'marker')
    expect(markers).toHaveLength(1)
    const x = logScale([10, 200], [FRAME.left, FRAME.width - FRAME.right])(60)
    expect(Number(markers[0]!.attribs['x1'])).toBeCloseTo(x, 0)
  })
})

describe('bar rows', () => {
  it('gives each row a bar proportional to its value and prints the note', () => {
    const svg = svgOf(
      barRows('statuses', [
        { label: '200', value: 300, cls: 'c-ok', note: '300 (75.0 %)' },
        { label: '503', value: 100, cls: 'c-failed', note: '100 (25.0 %)' },
        { label: 'none', value: 0, cls: 'c-none', note: '0' }
      ]).html
    )
    const widths = byClass(svg, 'bar').map((b) => Number(b.attribs['width']))
    expect(widths[0]! / widths[1]!).toBeCloseTo(3, 1)
    expect(widths[2]).toBe(0)
    const texts = DomUtils.findAll((e) => e.name === 'text', [svg]).map((e) => DomUtils.textContent(e))
    expect(texts).toEqual(['200', '300 (75.0 %)', '503', '100 (25.0 %)', 'none', '0'])
  })
})
