import type { JSX } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { formatCount } from '../../../../shared/format.ts'
import { useRunStore } from '../../stores/run-store.ts'

/**
 * What the spider found and why links were not followed, in one line of figures; and whether
 * robots.txt was ignored for this run (a choice recorded with it at setup).
 */
export function FrontierStrip(): JSX.Element | null {
  const { spider, robotsIgnored, scope, maxDepth } = useRunStore(
    useShallow((s) => ({
      spider: s.spider,
      robotsIgnored: s.config?.respectRobots === false,
      scope: s.config?.scope ?? null,
      maxDepth: s.config?.maxDepth ?? null
    }))
  )
  if (spider === null) return null
  const f = spider.frontier
  const facts: readonly [string, number, string][] = [
    ['Queued', f.queued, 'URLs waiting to be fetched'],
    ['Discovered', f.discovered, 'Distinct URLs seen: seeds, sitemap URLs and links'],
    ['Duplicates', f.deduped, 'Links to a URL already seen'],
    ['Out of scope', f.outOfScope, 'Links outside the scope or the patterns'],
    ['Over limits', f.overLimit, 'Links not followed for max depth, max pages or the per-host budget'],
    ['Nofollow', f.nofollow, 'Links not followed because of rel=nofollow'],
    ['Traps', f.trapped, 'URLs the spider-trap rules refused (listed in the decision log)']
  ]
  return (
    <section className="frontier" aria-label="Spider frontier">
      <dl className="frontier__facts">
        {facts.map(([term, value, help]) => (
          <div key={term} className="frontier__fact" title={help}>
            <dt>{term}</dt>
            <dd>{formatCount(value)}</dd>
          </div>
        ))}
        <div className="frontier__fact" title="Deepest link depth queued so far, and the limit">
          <dt>Depth</dt>
          <dd>
            {f.maxDepthSeen}
            {maxDepth !== null ? <span className="muted"> / {maxDepth}</span> : null}
          </dd>
        </div>
      </dl>
      <p className="frontier__notes">
        {scope !== null ? <span>Scope: {SCOPE_WORDS[scope]}.</span> : null}
        {robotsIgnored ? (
          <span className="frontier__robots-off">robots.txt ignored for this run (chosen at setup).</span>
        ) : null}
      </p>
    </section>
  )
}

const SCOPE_WORDS = { host: 'same host', site: 'same site', any: 'any host' } as const
