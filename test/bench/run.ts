import { mkdirSync, writeFileSync } from 'node:fs'
import { benchCancel, benchMakespan, benchMemory, benchThroughput, startDemoServer } from './engine-bench.ts'
import { benchStore } from './store-bench.ts'
import { benchLinks } from './spider-bench.ts'
import { benchUi } from './ui-bench.ts'

/**
 * `npm run bench`: measures side by side in one run and prints figures with their targets.
 * Writes bench-results/latest.json. Not part of `npm test`: shared machines are noisy.
 */

interface Row {
  readonly name: string
  readonly value: string
  readonly target: string
  readonly pass: boolean
}

const rows: Row[] = []
const results: Record<string, unknown> = { at: new Date().toISOString(), node: process.version }
const only = process.argv.slice(2)
const want = (name: string) => only.length === 0 || only.includes(name)

const server = await startDemoServer()
try {
  if (want('makespan')) {
    const m = await benchMakespan(server.origin)
    results['makespan'] = m
    rows.push({
      name: `makespan efficiency (${m.requests} req, 20–200 ms, c=${m.concurrency})`,
      value:
        `${m.ratio.toFixed(3)} (wall ${m.wallMs.toFixed(0)} ms / ideal ${m.idealMs.toFixed(0)} ms); ` +
        `${m.ratioToFifo.toFixed(3)} of a zero-overhead FIFO schedule (${m.fifoMs.toFixed(0)} ms, ${(m.fifoMs / m.idealMs).toFixed(3)} of ideal)`,
      target: '≤ 1.03',
      pass: m.ratio <= 1.03 && m.failed === 0
    })
  }
  if (want('throughput')) {
    const t = await benchThroughput(server.origin)
    results['throughput'] = t
    rows.push({
      name: `throughput, zero delay (c=${t.concurrency})`,
      value: `${t.ratio.toFixed(3)} (engine ${t.enginePerSecond.toFixed(0)}/s vs bare undici ${t.barePerSecond.toFixed(0)}/s)`,
      target: '≥ 0.85',
      pass: t.ratio >= 0.85
    })
  }
  if (want('memory')) {
    const m = await benchMemory(server.origin)
    results['memory'] = m
    rows.push({
      name: `memory, ${m.requests.toLocaleString('en')} URLs`,
      value: `+${m.growthMb.toFixed(1)} MB peak RSS growth (${m.rssBeforeMb.toFixed(0)} → ${m.rssPeakMb.toFixed(0)} MB; ${(m.wallMs / 1000).toFixed(1)} s)`,
      target: '< 150 MB',
      pass: m.growthMb < 150
    })
  }
  if (want('cancel')) {
    const c = await benchCancel(server.origin)
    results['cancel'] = c
    rows.push({
      name: `cancel with ${c.inFlight} in flight`,
      value: `${c.cancelToZeroSocketsMs.toFixed(0)} ms to ${c.openSocketsAfter} open sockets`,
      target: '< 1000 ms',
      pass: c.cancelToZeroSocketsMs < 1000 && c.openSocketsAfter === 0
    })
  }
} finally {
  await server.stop()
}

if (want('store')) {
  const st = await benchStore()
  results['store'] = st
  rows.push({
    name: `store: write ${st.rows.toLocaleString('en')} results`,
    value: `${st.rowsPerSecond.toFixed(0)} rows/s (${st.rowsPerCpuSecond.toFixed(0)} per CPU-second)`,
    target: '≥ 100,000/s',
    pass: st.rowsPerSecond >= 100_000
  })
  rows.push({
    name: 'store: sorted, filtered page of 100 (failed, slowest first, random offset, uncached)',
    value: `p95 ${st.pageP95Ms.toFixed(1)} ms (median ${st.pageMedianMs.toFixed(1)} ms; cached p95 ${st.pageWarmP95Ms.toFixed(1)} ms)`,
    target: '≤ 50 ms',
    pass: st.pageP95Ms <= 50
  })
  rows.push({
    name: 'store: text search page (uncached / cached)',
    value: `p95 ${st.searchColdP95Ms.toFixed(0)} ms / ${st.searchWarmP95Ms.toFixed(1)} ms (${st.searchMatches} matches)`,
    target: '≤ 50 ms',
    pass: st.searchColdP95Ms <= 50
  })
  rows.push({
    name: 'store: database size',
    value: `${(st.dbBytesPerMillion / (1024 * 1024)).toFixed(0)} MB per million results`,
    target: '(reported)',
    pass: true
  })
}

if (want('links')) {
  const l = benchLinks()
  results['links'] = l
  rows.push({
    name: `link extraction, ${(l.pageBytes / 1024).toFixed(0)} KB page, ${l.anchors.toLocaleString('en')} links (one core, CPU time)`,
    value: `${l.extractorPagesPerSecond.toFixed(0)} pages/s (${l.extractorMbPerSecond.toFixed(1)} MB/s; wall ${l.extractorWallPagesPerSecond.toFixed(0)}/s); ${l.ratioToBare.toFixed(2)} of a bare htmlparser2 pass (${l.barePagesPerSecond.toFixed(0)} pages/s)`,
    target: '≥ 0.4 of bare parse',
    pass: l.ratioToBare >= 0.4
  })
}

if (want('ui')) {
  const u = await benchUi()
  results['ui'] = u
  rows.push({
    name: `renderer, ${u.eventsPerSecond.toLocaleString('en')} events/s for ${u.seconds} s: p95 frame`,
    value: `${u.frameP95Ms.toFixed(1)} ms (p50 ${u.frameP50Ms.toFixed(1)} ms, ${u.frames} frames; ${u.shownDone.toLocaleString('en')} results shown)`,
    target: '≤ 33 ms',
    pass: u.frameP95Ms <= 33
  })
  rows.push({
    name: 'renderer: longest task',
    value: `${u.longestTaskMs.toFixed(0)} ms`,
    target: '≤ 200 ms',
    pass: u.longestTaskMs <= 200
  })
  rows.push({
    name: 'renderer: heap growth',
    value: `${u.heapGrowthMb.toFixed(1)} MB (${u.heapStartMb.toFixed(1)} → ${u.heapEndMb.toFixed(1)} MB after GC)`,
    target: '< 100 MB',
    pass: u.heapGrowthMb < 100
  })
}

const width = Math.max(...rows.map((r) => r.name.length))
for (const r of rows)
  console.log(`${r.pass ? 'PASS' : 'MISS'}  ${r.name.padEnd(width)}  ${r.value}  (target ${r.target})`)
mkdirSync('bench-results', { recursive: true })
writeFileSync('bench-results/latest.json', JSON.stringify({ ...results, rows }, null, 2))
