import type { JSX } from 'react'

/** First launch: offer the workshop demo, which needs no internet, or a crawl of one's own. */
export function WelcomeCard({
  busy,
  onRunDemo,
  onDismiss
}: {
  busy: boolean
  onRunDemo: () => void
  onDismiss: () => void
}): JSX.Element {
  return (
    <section className="welcome panel" aria-labelledby="welcome-title">
      <div className="welcome__text">
        <h2 id="welcome-title">Welcome to Crawlboard</h2>
        <p>
          Crawlboard fetches lists of URLs with bounded concurrency, timeouts and retries, and shows every
          request live: latency, throughput, status codes and failures.
        </p>
        <p className="muted">
          The workshop demo crawls a built-in test site on this machine (slow pages, errors, rate limits,
          redirect loops), so it works offline.
        </p>
      </div>
      <div className="welcome__actions">
        <button type="button" className="btn btn--primary btn--large" disabled={busy} onClick={onRunDemo}>
          {busy ? 'Starting the demo…' : 'Run the workshop demo'}
        </button>
        <button type="button" className="btn btn--large" disabled={busy} onClick={onDismiss}>
          Set up my own crawl
        </button>
      </div>
    </section>
  )
}
