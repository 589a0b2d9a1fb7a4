import './charts.css'

export type { ChartMark, RecentPoint } from './types.ts'
export { LatencyOverTimeChart, type LatencyOverTimeChartProps } from './latency-over-time-chart.tsx'
export {
  LatencyDistributionChart,
  type LatencyDistributionChartProps
} from './latency-distribution-chart.tsx'
export { ThroughputChart, type ThroughputChartProps } from './throughput-chart.tsx'
export { StatusBreakdownChart, type StatusBreakdownChartProps } from './status-breakdown-chart.tsx'
export { ErrorBreakdownChart, type ErrorBreakdownChartProps } from './error-breakdown-chart.tsx'
export { InFlightChart, type InFlightChartProps } from './in-flight-chart.tsx'
export { LatencyComparisonChart, type LatencyComparisonChartProps } from './latency-comparison-chart.tsx'
export { QueueSizeChart, type QueueSizeChartProps } from './queue-size-chart.tsx'
export { DepthChart, type DepthChartProps } from './depth-chart.tsx'
