import { mkdirSync, writeFileSync } from 'node:fs'
import {
  benchCancel,
  benchMakespan,
  benchMemory,
  benchSeedsMakespan,
  benchThroughput,
  startDemoServer,
  type MakespanFigures
} from './engine-bench.ts'
import { benchHosts } from './hosts-bench.ts'
import { benchDemoRun } from './demo-run-bench.ts'
import { benchHostTwice, benchList1m, benchMemory500 } from './memory-bench.ts'
import { benchOpen } from './open-bench.ts'
import { benchResultsScroll, benchSetup } from './setup-bench.ts'
import { benchStore } from './store-bench.ts'
import { benchLinks } from './spider-bench.ts'
import { benchSpiderCrawl } from './spider-crawl-bench.ts'
import { benchUi } from './ui-bench.ts'
import { benchRealUi } from './real-ui-bench.ts'

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
  const makespanRow = (label: string, m: MakespanFigures, idealTarget: number): Row => ({
    name: `makespan ${label} (${m.requests} req, c=${m.concurrency}; median of 3, alternated with a bare undici loop)`,
    value:
      `${m.ratio.toFixed(3)} of ideal (wall ${m.wallMs.toFixed(0)} ms / ideal ${m.idealMs.toFixed(0)} ms); ` +
      `${m.ratioToFifo.toFixed(3)} of a zero-overhead FIFO schedule (${m.fifoMs.toFixed(0)} ms, ${(m.fifoMs / m.idealMs).toFixed(3)} of ideal); ` +
      `${m.ratioToBare.toFixed(3)} of the bare loop (${m.bareMs.toFixed(0)} ms, ${(m.bareMs / m.fifoMs).toFixed(3)} of FIFO)`,
    // No scheduler that does not know latencies ahead beats FIFO, so where FIFO itself sits above
    // the ideal target, 1.01 of FIFO is the bar.
    target: `≤ ${idealTarget.toFixed(2)} of ideal (or of FIFO where FIFO is above it), ≤ 1.01 of FIFO`,
    pass:
      m.ratio <= Math.max(idealTarget, m.fifoMs / m.idealMs) * 1.01 && m.ratioToFifo <= 1.01 && m.failed === 0
  })
  if (want('makespan')) {
    const m = await benchMakespan(server.origin)
    results['makespan'] = m
    // FIFO itself sits ~5% above the ideal bound on this list (see fifoMakespan).
    rows.push(makespanRow('20–200 ms', m, 1.06))
  }
  if (want('seeds')) {
    const m = await benchSeedsMakespan(server.origin)
    results['seeds'] = m
    rows.push(makespanRow('the seeds’ workload, 50–150 ms', m, 1.02))
  }
  if (want('throughput')) {
    const t = await benchThroughput(server.origin)
    results['throughput'] = t
    rows.push({
      name: `throughput, zero delay (c=${t.concurrency})`,
      value: `${t.ratio.toFixed(3)} (engine ${t.enginePerSecond.toFixed(0)}/s vs bare undici ${t.barePerSecond.toFixed(0)}/s)`,
      target: '≥ 0.95',
      pass: t.ratio >= 0.95
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
  if (want('list-1m')) {
    const l = await benchList1m(server.origin)
    results['list-1m'] = l
    rows.push({
      name: `list file of ${l.lines.toLocaleString('en')} lines: time to first request`,
      value: `${l.firstRequestMs.toFixed(0)} ms`,
      target: '≤ 2000 ms',
      pass: l.firstRequestMs <= 2000
    })
    rows.push({
      name: `list file of ${l.lines.toLocaleString('en')} lines: RSS above idle before first request`,
      value: `+${l.aboveIdleBeforeFirstMb.toFixed(0)} MB (idle ${l.idleMb.toFixed(0)} MB; +${l.aboveIdleAfterMb.toFixed(0)} MB peak in the 8 s after)`,
      target: '≤ 150 MB',
      pass: l.aboveIdleBeforeFirstMb <= 150
    })
  }
  if (want('memory-500')) {
    const m = await benchMemory500(server.origin)
    results['memory-500'] = m
    rows.push({
      name: `runner, ${m.requests.toLocaleString('en')} URLs at c=500: RSS growth`,
      value: `+${m.growthMb.toFixed(0)} MB (${m.idleMb.toFixed(0)} → peak ${m.peakMb.toFixed(0)} MB, ${m.afterGcMb.toFixed(0)} MB after GC; JS heap +${m.heapPeakMb.toFixed(0)} MB at peak, +${m.heapAfterMb.toFixed(0)} MB after; ${(m.wallMs / 1000).toFixed(1)} s)`,
      target: '< 100 MB',
      pass: m.growthMb < 100
    })
  }
  if (want('host-twice')) {
    const h = await benchHostTwice(server.origin)
    results['host-twice'] = h
    rows.push({
      name: `browser host, two ${h.requests.toLocaleString('en')}-URL runs: RSS after the second vs the first`,
      value: `${h.secondOverFirstMb >= 0 ? '+' : ''}${h.secondOverFirstMb.toFixed(0)} MB (idle ${h.idleMb.toFixed(0)}, after first ${h.afterFirstMb.toFixed(0)}, after second ${h.afterSecondMb.toFixed(0)} MB, after GC)`,
      target: '≤ 50 MB',
      pass: h.secondOverFirstMb <= 50
    })
  }
} finally {
  await server.stop()
}

if (want('demo')) {
  const d = await benchDemoRun()
  results['demo'] = d
  rows.push({
    name: `workshop demo, ${d.urls.toLocaleString('en')} URLs over 3 loaded hosts (c=${d.concurrency}, per-host ${d.perHost}, workshop-demo preset)`,
    value:
      `${d.perSecond.toFixed(0)} req/s average (wall ${(d.wallMs / 1000).toFixed(1)} s; ok ${d.ok}, failed ${d.failed}); ` +
      `${d.retries} retries, ${d.status429} 429s (${d.rateLimited} from the rate limit), ${d.retryAfterWaits} Retry-After waits`,
    target: '≥ 100 req/s, Retry-After waits > 0',
    pass: d.perSecond >= 100 && d.retryAfterWaits > 0 && d.ok + d.failed === d.urls
  })
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

if (want('hosts')) {
  const h = await benchHosts()
  results['hosts'] = h
  rows.push({
    name: `hosts view of a run over ${h.hosts.toLocaleString('en')} hosts (${h.rows} rows listed)`,
    value: `${h.cpuMsPerAsk.toFixed(1)} ms CPU a getHosts answer; wall p50 ${h.p50Ms.toFixed(1)} ms, p95 ${h.p95Ms.toFixed(1)} ms (${h.asks} asks)`,
    target: '≤ 20 ms CPU (asked once a second)',
    pass: h.cpuMsPerAsk <= 20
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

if (want('real-ui')) {
  const u = await benchRealUi()
  results['real-ui'] = u
  rows.push({
    name: `dashboard during a real demo run (${u.urls.toLocaleString('en')} URLs, c=${u.concurrency}, 1280×720): p95 frame`,
    value: `${u.frameP95Ms.toFixed(1)} ms (p50 ${u.frameP50Ms.toFixed(1)} ms, ${u.frames} frames over ${u.runSeconds.toFixed(1)} s; ${u.shownDone.toLocaleString('en')} shown done)`,
    target: '≤ 20 ms',
    pass: u.frameP95Ms <= 20
  })
  rows.push({
    name: 'dashboard during a real demo run: longest task',
    value: `${u.longestTaskMs.toFixed(0)} ms (${u.longTasks} long tasks)`,
    target: '≤ 200 ms',
    pass: u.longestTaskMs <= 200
  })
}

if (want('setup')) {
  const s = await benchSetup()
  results['setup'] = s
  rows.push({
    name: `setup: import a ${s.lines.toLocaleString('en')}-line file → counts shown`,
    value: `${s.importMs.toFixed(0)} ms`,
    target: '(reported)',
    pass: true
  })
  rows.push({
    name: `setup: keystroke in a ${s.lines.toLocaleString('en')}-line list, keydown → frame shown (p95)`,
    value: `${s.keyP95Ms.toFixed(1)} ms (p50 ${s.keyP50Ms.toFixed(1)} ms, max ${s.keyMaxMs.toFixed(0)} ms, ${s.keystrokes} keys)`,
    target: '< 50 ms',
    pass: s.keyP95Ms < 50
  })
  rows.push({
    name: 'setup: preferences file after the autosave',
    value: `${(s.preferencesBytes / 1024).toFixed(1)} KB`,
    target: '(reported)',
    pass: true
  })
}

if (want('results-scroll')) {
  const r = await benchResultsScroll()
  results['results-scroll'] = r
  rows.push({
    name: `results: ${r.scrolls} wheel scrolls of a ${r.rows.toLocaleString('en')}-row run → rows on screen filled`,
    value: `${r.scrollMs.toFixed(0)} ms (longest frame ${r.longestFrameMs.toFixed(0)} ms; ended at row ${r.lastRowIndex.toLocaleString('en')})`,
    target: '≤ 1000 ms',
    pass: r.scrollMs <= 1_000
  })
}

const width = Math.max(...rows.map((r) => r.name.length))
for (const r of rows)
  console.log(`${r.pass ? 'PASS' : 'MISS'}  ${r.name.padEnd(width)}  ${r.value}  (target ${r.target})`)
mkdirSync('bench-results', { recursive: true })
writeFileSync('bench-results/latest.json', JSON.stringify({ ...results, rows }, null, 2))
