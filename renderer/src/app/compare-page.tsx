import type { JSX } from 'react'
import type { RunComparison } from '../../../shared/api.ts'
import { LatencyComparisonChart } from '../features/charts/index.ts'
import { CompareView, runLabelShort, type CompareApi } from '../features/compare/index.ts'
import { navigate } from './view-store.ts'

/** The overlaid distributions come from the charts feature; composed here, since features do not import each other. */
function distribution(c: RunComparison): JSX.Element {
  return (
    <LatencyComparisonChart
      base={c.histograms.base}
      other={c.histograms.other}
      baseLabel={runLabelShort(c.base)}
      otherLabel={runLabelShort(c.other)}
      baseP50={c.latency.base.p50}
      otherP50={c.latency.other.p50}
    />
  )
}

const openHistory = (): void => {
  navigate('history')
}

export function ComparePage({ api }: { api: CompareApi }): JSX.Element {
  return <CompareView api={api} distribution={distribution} onOpenHistory={openHistory} />
}
