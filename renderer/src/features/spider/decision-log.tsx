import { useState, type JSX } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { useMetricsStore } from '../../stores/metrics-store.ts'
import { formatCount } from '../../../../shared/format.ts'
import { isEnded, useRunStore } from '../../stores/run-store.ts'
import { formatLogTime, logEntries, type LogEntry } from './spider-format.ts'

/** Lines shown before "Show more". */
const PAGE = 50

const TAG_LABELS: Readonly<Record<LogEntry['tag'], string>> = {
  lowered: 'lowered',
  raised: 'raised',
  limit: 'your limit',
  trap: 'trap',
  sitemap: 'sitemap'
}

/**
 * What the crawler decided on its own, newest first, in plain words: adaptive-concurrency changes
 * per host, spider traps it refused to follow, and sitemaps it could not read (or only in part).
 * Fed by the metrics ticker (≤ 4×/s).
 */
export function DecisionLog(): JSX.Element {
  const { decisions, traps, notices } = useMetricsStore(
    useShallow((s) => ({ decisions: s.decisions, traps: s.traps, notices: s.notices }))
  )
  const finished = useRunStore((s) => isEnded(s.status))
  const [shown, setShown] = useState(PAGE)
  const total = decisions.length + traps.length + notices.length
  const entries = logEntries(decisions, traps, notices, shown)
  return (
    <section className="spider-panel decisions" aria-labelledby="decisions-title">
      <header className="spider-panel__head">
        <h2 id="decisions-title" className="spider-panel__title">
          Decision log
        </h2>
        {total > 0 ? (
          <span className="muted">
            {formatCount(total)} {total === 1 ? 'entry' : 'entries'}, newest first
          </span>
        ) : null}
      </header>
      {entries.length === 0 ? (
        <p className="muted">
          {finished
            ? 'No decisions recorded for this run.'
            : 'No decisions yet: per-host limits change here when a host slows down or asks for less, spider traps are listed when found, and so are sitemaps that cannot be read.'}
        </p>
      ) : (
        <ol className="decisions__list" aria-label="Decisions, newest first">
          {entries.map((e) => (
            <li key={e.key} className="decisions__item">
              <time className="decisions__time" dateTime={new Date(e.at).toISOString()}>
                {formatLogTime(e.at)}
              </time>
              <span className={`decisions__tag decisions__tag--${e.tag}`}>{TAG_LABELS[e.tag]}</span>
              <span className="decisions__text" title={e.code}>
                {e.text}
                {e.url !== undefined ? (
                  <>
                    {' '}
                    <code className="decisions__url">{e.url}</code>
                  </>
                ) : null}
              </span>
            </li>
          ))}
        </ol>
      )}
      {total > entries.length ? (
        <button
          type="button"
          className="btn btn--small btn--ghost decisions__more"
          onClick={() => {
            setShown((n) => n + PAGE * 4)
          }}
        >
          Show more ({formatCount(total - entries.length)} older)
        </button>
      ) : null}
    </section>
  )
}
