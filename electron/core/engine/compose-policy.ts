import type { LiveSettings, RunConfig } from '../../../shared/config.ts'
import { ListFrontier } from '../crawl/list-frontier.ts'
import { RobotsGate, type RobotsGatePorts } from '../crawl/robots-gate.ts'
import { SpiderFrontier } from '../crawl/spider-frontier.ts'
import type { FrontierFactory, FrontierPorts, UrlFrontier, UrlTask } from '../crawl/url-frontier.ts'
import type { CrawlPolicy } from './policy.ts'

/**
 * Builds a run's crawl units from its mode: a list run pulls from its fixed list; a spider run
 * from the seeds and what the admission gates accept, behind robots.txt when it respects it (the
 * sitemaps robots.txt lists go to the frontier). A caller's own frontier replaces the default one.
 */

export type PolicyPorts = FrontierPorts & Omit<RobotsGatePorts, 'sitemaps'>

export interface ComposeOptions {
  readonly config: RunConfig
  readonly settings: LiveSettings
  readonly tasks: readonly UrlTask[]
  readonly known?: Iterable<string>
  readonly nextId?: number
  readonly frontier?: FrontierFactory
  readonly ports: PolicyPorts
}

export function composePolicy(options: ComposeOptions): CrawlPolicy {
  const { config: c, ports } = options
  const spider = c.mode === 'spider'
  const frontier: UrlFrontier = options.frontier
    ? options.frontier(ports)
    : spider
      ? new SpiderFrontier({
          config: c,
          settings: options.settings,
          tasks: options.tasks,
          ...(options.known ? { known: options.known } : {}),
          ...(options.nextId === undefined ? {} : { nextId: options.nextId }),
          fetch: ports.fetch,
          ports
        })
      : new ListFrontier(options.tasks)
  const robots =
    spider && c.respectRobots
      ? new RobotsGate({
          userAgent: c.userAgent,
          readSitemaps: c.robotsSitemaps,
          ports: {
            ...ports,
            sitemaps: (urls) => {
              frontier.addSources?.(urls)
            }
          }
        })
      : null
  return { frontier, robots }
}
