import type { JSX } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { CrawlerApi } from '../../../shared/api.ts'
import { DecisionLog, FrontierStrip, HostsPanel } from '../features/spider/index.ts'
import { isLive, useRunStore } from '../stores/run-store.ts'

export { SafeguardBanner } from '../features/spider/index.ts'

/**
 * The dashboard's spider panels: frontier figures, the hosts view and the decision log. A list run
 * shows none of them. The hosts view polls while an engine here drives the run, and reads a
 * finished (or elsewhere-driven) run once.
 */
export function SpiderDashboard({
  api,
  runId
}: {
  api: Pick<CrawlerApi, 'getHosts'>
  runId: string
}): JSX.Element | null {
  const { spider, live } = useRunStore(
    useShallow((s) => ({
      spider: s.config?.mode === 'spider',
      live: isLive(s.status)
    }))
  )
  if (!spider) return null
  return (
    <>
      <FrontierStrip />
      <HostsPanel key={runId} api={api} runId={runId} live={live} />
      <DecisionLog />
    </>
  )
}
