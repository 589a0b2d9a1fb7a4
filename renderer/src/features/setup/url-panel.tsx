import { memo, useRef, type JSX } from 'react'
import { formatInvalidLine } from '../../../../shared/url-list.ts'
import { formatCount } from '../../../../shared/format.ts'
import type { UrlCheck } from './url-check.ts'
import { UrlEditor } from './url-editor.tsx'

export interface UrlPanelProps {
  /** False when the list has nothing but white space. */
  readonly hasText: boolean
  readonly lines: number
  readonly parsed: UrlCheck | null
  readonly pending: boolean
  /** Why the list could not be checked, if it could not. */
  readonly checkError: string | null
  readonly fileMessage: { readonly kind: 'ok' | 'error'; readonly text: string } | null
  readonly onClear: () => void
  readonly onFile: (file: File) => void
  readonly onLoadDemoUrls: () => void
  readonly demoBusy: boolean
  /** List: fetch these URLs. Spider: start from them (the seeds) and follow links. */
  readonly mode: 'list' | 'spider'
  readonly onMode: (mode: 'list' | 'spider') => void
}

const MODES = [
  { id: 'list', label: 'List', help: 'Fetch exactly the URLs below.' },
  {
    id: 'spider',
    label: 'Spider',
    help: 'Start from the seed URLs below and follow their links, within the scope.'
  }
] as const

export function UrlPanel(props: UrlPanelProps): JSX.Element {
  const { parsed, pending, fileMessage, hasText } = props
  const fileInput = useRef<HTMLInputElement>(null)
  const spider = props.mode === 'spider'
  return (
    <section className="panel setup-urls" aria-labelledby="urls-title">
      <div className="mode-switch">
        <div
          className="segmented"
          role="radiogroup"
          aria-label="Crawl mode"
          onKeyDown={(e) => {
            // A radio group: arrow keys move the choice; Tab enters and leaves it at the chosen one.
            if (!['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown'].includes(e.key)) return
            e.preventDefault()
            const next = props.mode === 'list' ? 'spider' : 'list'
            props.onMode(next)
            e.currentTarget.querySelector<HTMLElement>(`[data-mode="${next}"]`)?.focus()
          }}
        >
          {MODES.map((m) => (
            <button
              key={m.id}
              type="button"
              role="radio"
              data-mode={m.id}
              aria-checked={props.mode === m.id}
              tabIndex={props.mode === m.id ? 0 : -1}
              className="segmented__option"
              onClick={() => {
                props.onMode(m.id)
              }}
            >
              {m.label}
            </button>
          ))}
        </div>
        <p className="mode-switch__help muted">{MODES.find((m) => m.id === props.mode)?.help}</p>
      </div>
      <div className="setup-panel__head">
        <h2 id="urls-title">{spider ? 'Seed URLs' : 'URLs'}</h2>
        <div className="setup-urls__tools">
          <button
            type="button"
            className="btn btn--small"
            onClick={() => {
              fileInput.current?.click()
            }}
          >
            Import file…
          </button>
          <input
            ref={fileInput}
            type="file"
            accept=".txt,.csv,.tsv,text/plain,text/csv"
            className="sr-only"
            tabIndex={-1}
            aria-hidden="true"
            onChange={(e) => {
              const file = e.currentTarget.files?.[0]
              e.currentTarget.value = ''
              if (file) props.onFile(file)
            }}
          />
          <button
            type="button"
            className="btn btn--small"
            disabled={props.demoBusy}
            onClick={props.onLoadDemoUrls}
          >
            {spider ? 'Demo site' : 'Demo URLs'}
          </button>
          <button
            type="button"
            className="btn btn--small btn--ghost"
            disabled={!hasText}
            onClick={props.onClear}
          >
            Clear
          </button>
        </div>
      </div>
      <span className="sr-only" id="urls-label">
        {spider ? 'Seed URLs to spider from, one per line' : 'URLs to crawl, one per line'}
      </span>
      <div className="textarea setup-urls__text">
        <UrlEditor
          labelledBy="urls-label"
          describedBy="urls-summary"
          placeholder={
            spider
              ? 'One or more start pages, one per line. Links found on them are followed within the scope set on the right.\n\nhttps://example.com/'
              : 'Paste URLs, one per line, or drop a .txt / .csv file here.\n\nhttps://example.com/\nhttps://example.com/about\n# comments and blank lines are skipped'
          }
        />
      </div>
      {fileMessage !== null ? (
        <p
          className={`setup-urls__file setup-urls__file--${fileMessage.kind}`}
          role={fileMessage.kind === 'error' ? 'alert' : 'status'}
        >
          {fileMessage.text}
        </p>
      ) : null}
      {props.checkError !== null ? (
        <p className="setup-urls__file setup-urls__file--error" role="alert">
          The list could not be checked: {props.checkError}
        </p>
      ) : null}
      <ParseSummary parsed={parsed} pending={pending} hasText={hasText} lines={props.lines} />
    </section>
  )
}

const ParseSummary = memo(function ParseSummary({
  parsed,
  pending,
  hasText,
  lines
}: {
  parsed: UrlCheck | null
  pending: boolean
  hasText: boolean
  lines: number
}): JSX.Element {
  if (!hasText) {
    return (
      <p id="urls-summary" className="url-summary muted">
        No URLs yet.
      </p>
    )
  }
  if (parsed === null) {
    return (
      <p id="urls-summary" className="url-summary muted" aria-live="polite">
        Checking the list…
      </p>
    )
  }
  const invalid = parsed.invalid
  const invalidCount = parsed.invalidCount
  return (
    <div className="url-check">
      <p id="urls-summary" className="url-summary" aria-live="polite">
        <strong>{formatCount(parsed.urls)}</strong> {parsed.urls === 1 ? 'URL' : 'URLs'}
        <span className="url-summary__sep" aria-hidden="true">
          ·
        </span>
        <span className={invalidCount > 0 ? 'url-summary__bad' : undefined}>
          {formatCount(invalidCount)} invalid
        </span>
        <span className="url-summary__sep" aria-hidden="true">
          ·
        </span>
        {formatCount(parsed.duplicates)} {parsed.duplicates === 1 ? 'duplicate' : 'duplicates'}
        {parsed.skipped > 0 ? (
          <span className="muted">
            {' '}
            ({formatCount(parsed.skipped)} blank or comment {parsed.skipped === 1 ? 'line' : 'lines'} skipped)
          </span>
        ) : null}
        <span className="muted">
          {' '}
          · {formatCount(lines)} {lines === 1 ? 'line' : 'lines'}
        </span>
        {pending ? <span className="muted"> · checking…</span> : null}
      </p>
      {invalidCount > 0 ? (
        <div className="url-invalid">
          <p className="url-invalid__title">
            {invalidCount === 1 ? 'This line will be skipped:' : 'These lines will be skipped:'}
          </p>
          <ul className="url-invalid__list" aria-label="Invalid lines">
            {invalid.map((line) => (
              <li key={line.line}>
                <span className="url-invalid__reason">{formatInvalidLine(line)}</span>
                <code className="url-invalid__text">{line.text}</code>
              </li>
            ))}
            {invalidCount > invalid.length ? (
              <li className="muted">and {formatCount(invalidCount - invalid.length)} more</li>
            ) : null}
          </ul>
        </div>
      ) : null}
    </div>
  )
})
