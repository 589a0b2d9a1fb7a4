import { mkdirSync, writeFileSync } from 'node:fs'
import { benchCancel, benchMakespan, benchMemory, benchThroughput, startDemoServer } from './engine-bench.ts'
import { benchOpen } from './open-bench.ts'
import { benchStore } from './store-bench.ts'
import { benchLinks } from './spider-bench.ts'
import { benchSpiderCrawl } from './spider-crawl-bench.ts'
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
    name: `store: write ${st.rows.toLocaleString('en')} results (writer thread)`,
    value:
      `${st.rowsPerSecond.toFixed(0)} rows/s (CPU a row: main ${st.worker.mainCpuUsPerRow.toFixed(1)} µs, ` +
      `writer thread ${st.worker.threadCpuUsPerRow.toFixed(1)} µs, ${st.worker.rowsPerTransaction.toFixed(0)} rows a ` +
      `transaction: ${st.worker.twoCoreBoundPerSecond.toFixed(0)}/s on two idle cores); on the calling thread ` +
      `${st.caller.rowsPerSecond.toFixed(0)} rows/s (${st.caller.mainCpuUsPerRow.toFixed(1)} µs a row); ` +
      `load average ${st.loadAverage.map((l) => l.toFixed(1)).join(' ')}`,
    target: '≥ 100,000/s',
    pass: st.rowsPerSecond >= 100_000
  })
  for (const p of st.paced) {
    rows.push({
      name: `store: main thread while ${p.offeredPerSecond.toLocaleString('en')} results/s are written (${p.thread === 'worker' ? 'writer thread' : 'calling thread'})`,
      value:
        `event-loop delay p99 ${p.loopDelayP99Ms.toFixed(1)} ms, max ${p.loopDelayMaxMs.toFixed(1)} ms; ` +
        `100 ms timer late p99 ${p.uiTimerLateP99Ms.toFixed(1)} ms; main busy ${(p.mainUtilization * 100).toFixed(0)}%; ` +
        `${p.achievedPerSecond.toFixed(0)}/s achieved`,
      target: p.thread === 'worker' ? 'p99 ≤ 20 ms' : '(reported)',
      pass:
        p.thread !== 'worker' || (p.loopDelayP99Ms <= 20 && p.achievedPerSecond >= 0.95 * p.offeredPerSecond)
    })
  }
  rows.push({
    name: 'store: sorted, filtered page of 100 (failed, slowest first, random offset, uncached)',
    value: `p95 ${st.pageP95Ms.toFixed(1)} ms (median ${st.pageMedianMs.toFixed(1)} ms; cached p95 ${st.pageWarmP95Ms.toFixed(1)} ms)`,
    target: '≤ 50 ms',
    pass: st.pageP95Ms <= 50
  })
  rows.push({
    name: 'store: text search page (uncached / cached)',
    value:
      `p95 ${st.searchColdP95Ms.toFixed(0)} ms / ${st.searchWarmP95Ms.toFixed(1)} ms (${st.searchMatches} matches; ` +
      `index built in ${(st.searchIndexMs / 1000).toFixed(1)} s, a search before it ${st.searchUnindexedMs.toFixed(0)} ms)`,
    target: '≤ 50 ms',
    pass: st.searchColdP95Ms <= 50
  })
  rows.push({
    name: 'store: database size',
    value:
      `${(st.dbBytesPerMillion / (1024 * 1024)).toFixed(0)} MB per million results as written, ` +
      `${(st.indexedDbBytesPerMillion / (1024 * 1024)).toFixed(0)} MB with the search index`,
    target: '(reported)',
    pass: true
  })
}

if (want('open')) {
  const o = await benchOpen()
  results['open'] = o
  rows.push({
    name: `open a stored run of ${o.results.toLocaleString('en')} results: Open in History → first results row painted`,
    value:
      `${o.openToFirstRowMs.toFixed(0)} ms (dashboard after ${o.openToDashboardMs.toFixed(0)} ms; ` +
      `Results → first row ${o.resultsToFirstRowMs.toFixed(0)} ms)`,
    target: '≤ 2000 ms',
    pass: o.openToFirstRowMs <= 2_000
  })
  rows.push({
    name: 'open a stored run: renderer heap after GC',
    value: `${o.rendererHeapMb.toFixed(1)} MB`,
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

if (want('spider')) {
  const sp = await benchSpiderCrawl(50_000, 50)
  results['spider'] = sp
  const complete = sp.fetched - sp.trapSpaceFetched === sp.expected
  rows.push({
    name: `spider, ${sp.pages.toLocaleString('en')}-page synthetic site (c=${sp.concurrency}, robots.txt respected)`,
    value:
      `${sp.ratio.toFixed(2)} of ideal (wall ${(sp.wallMs / 1000).toFixed(1)} s / ideal ${(sp.idealMs / 1000).toFixed(1)} s); ` +
      `${sp.fetched.toLocaleString('en')} results (${sp.expected.toLocaleString('en')} expected${complete ? '' : ' — MISMATCH'}, ` +
      `${sp.trapSpaceFetched} in trap space), ${sp.pagesPerSecond.toFixed(0)} pages/s, ` +
      `${sp.cpuSeconds.toFixed(1)} CPU-s; RSS +${sp.growthMb.toFixed(0)} MB (${sp.rssBeforeMb.toFixed(0)} → ${sp.rssPeakMb.toFixed(0)} MB); load ${sp.loadAverage.toFixed(1)}`,
    target: '≤ 1.3 of ideal, every page',
    pass: sp.ratio <= 1.3 && complete
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
