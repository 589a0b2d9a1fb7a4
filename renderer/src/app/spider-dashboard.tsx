import type { JSX } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { CrawlerApi } from '../../../shared/api.ts'
import { HostsPanel } from '../features/hosts/index.ts'
import { DecisionLog, FrontierStrip } from '../features/spider/index.ts'
import { isLive, useRunStore } from '../stores/run-store.ts'

export { LimitExplanation } from '../features/hosts/index.ts'
export { SafeguardBanner } from '../features/spider/index.ts'

/**
 * The dashboard's panels under the charts: the hosts view for every run, and for a spider run the
 * frontier figures and the decision log around it. The hosts view polls while an engine here
 * drives the run, and reads a finished (or elsewhere-driven) run once.
 */
export function SpiderDashboard({
  api,
  runId
}: {
  api: Pick<CrawlerApi, 'getHosts'>
  runId: string
}): JSX.Element {
  const { spider, live } = useRunStore(
    useShallow((s) => ({
      spider: s.config?.mode === 'spider',
      live: isLive(s.status)
    }))
  )
  const hosts = <HostsPanel key={runId} api={api} runId={runId} live={live} spider={spider} />
  if (!spider) return hosts
  return (
    <>
      <FrontierStrip />
      {hosts}
      <DecisionLog />
    </>
  )
}
