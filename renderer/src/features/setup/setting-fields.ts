import type { ConfigKey } from '../../stores/config-form.ts'

/** How each run setting is shown: label, unit, one line of help, and its group. */
export interface FieldSpec {
  readonly key: ConfigKey
  readonly label: string
  readonly unit?: string
  readonly help: string
  /** `number`: an optional or decimal number (empty = none); `choice`: one of `options`, as radio buttons. */
  readonly kind: 'integer' | 'number' | 'text' | 'textarea' | 'toggle' | 'method' | 'choice'
  readonly placeholder?: string
  /** For `choice`: each value with a label and a one-line explanation. */
  readonly options?: readonly ChoiceOption[]
  /** Turning this toggle off asks first (the dialog says what it means). */
  readonly confirmOff?: boolean
  /** Only in spider mode (a list run reads no robots.txt). */
  readonly spiderOnly?: boolean
}

export interface ChoiceOption {
  readonly value: string
  readonly label: string
  readonly help: string
}

export interface FieldGroup {
  readonly id: string
  readonly title: string
  /** Shown expanded by default. */
  readonly open: boolean
  /** Only in spider mode (list runs follow no links). */
  readonly spiderOnly?: boolean
  /** Expanded by default in spider mode (where robots.txt is read). */
  readonly openInSpider?: boolean
  readonly fields: readonly FieldSpec[]
}

export const FIELD_GROUPS: readonly FieldGroup[] = [
  {
    id: 'scope',
    title: 'Scope',
    open: true,
    spiderOnly: true,
    fields: [
      {
        key: 'scope',
        label: 'Follow links to',
        help: 'Which links found on pages are followed.',
        kind: 'choice',
        options: [
          { value: 'host', label: 'Same host', help: "Only the seeds' host names (and ports)." },
          {
            value: 'site',
            label: 'Same site',
            help: "Any host of the seeds' registrable domain: www.example.co.uk and shop.example.co.uk."
          },
          { value: 'any', label: 'Any host', help: 'Every http(s) link; only the patterns below limit it.' }
        ]
      },
      {
        key: 'maxDepth',
        label: 'Max depth',
        unit: 'links',
        help: 'Link hops from a seed (seeds are depth 0); links on pages this deep are not followed.',
        kind: 'integer'
      },
      {
        key: 'maxPages',
        label: 'Max pages',
        unit: 'pages',
        help: 'Pages fetched in all, seeds included. Adjustable while the run goes.',
        kind: 'integer'
      },
      {
        key: 'perHostBudget',
        label: 'Per-host budget',
        unit: 'pages',
        help: 'Pages fetched from one host at most; empty for no budget.',
        kind: 'number',
        placeholder: 'none'
      },
      {
        key: 'includePatterns',
        label: 'Include patterns',
        help: 'Regular expressions, one per line, searched in each URL; when any are given, one must match.',
        kind: 'textarea',
        placeholder: '^https://example\\.com/docs/'
      },
      {
        key: 'excludePatterns',
        label: 'Exclude patterns',
        help: 'A URL matching any of these is not followed (an exclude always wins).',
        kind: 'textarea',
        placeholder: '/login\n\\?sort='
      },
      {
        key: 'stripQueryParams',
        label: 'Strip query params',
        help: 'Parameter names removed from found URLs before duplicates are told apart, comma-separated.',
        kind: 'text',
        placeholder: 'utm_source, utm_medium, sessionid'
      },
      {
        key: 'maxVariantChain',
        label: 'Query variant chain',
        unit: 'pages',
        help: 'Pages in a row each found on another query variant of itself (a calendar\'s "next month") before the chain is treated as a trap.',
        kind: 'integer'
      },
      {
        key: 'maxVariantsPerPath',
        label: 'Query variants per path',
        unit: 'URLs',
        help: 'Distinct query strings one path may have before further ones are treated as a trap.',
        kind: 'integer'
      },
      {
        key: 'maxUrlLength',
        label: 'Max URL length',
        unit: 'chars',
        help: 'Longer found URLs are treated as a trap (state that grows with every click).',
        kind: 'integer'
      },
      {
        key: 'followNofollow',
        label: 'Follow nofollow links',
        help: 'Also follow links marked rel="nofollow" and pages with a meta robots nofollow.',
        kind: 'toggle'
      },
      {
        key: 'sitemapUrls',
        label: 'Sitemaps',
        help: 'Sitemap URLs, one per line (indexes and .gz too); their URLs are added as seeds.',
        kind: 'textarea',
        placeholder: 'https://example.com/sitemap.xml'
      },
      {
        key: 'robotsSitemaps',
        label: "Use robots.txt's sitemaps",
        help: "Also add the sitemaps that the seeds' robots.txt lists (needs robots.txt respected).",
        kind: 'toggle'
      }
    ]
  },
  {
    id: 'politeness',
    title: 'Politeness',
    open: false,
    openInSpider: true,
    fields: [
      {
        key: 'respectRobots',
        label: 'Respect robots.txt',
        help: "Read each site's robots.txt first; URLs it disallows are not fetched (ROBOTS_DISALLOWED).",
        kind: 'toggle',
        confirmOff: true,
        spiderOnly: true
      },
      {
        key: 'perHostMinDelayMs',
        label: 'Min delay per host',
        unit: 'ms',
        help: 'Least time between two requests starting on one host; 0 for none.',
        kind: 'integer'
      },
      {
        key: 'perHostMaxRequestsPerSecond',
        label: 'Max rate per host',
        unit: 'req/s',
        help: 'Most requests starting per second on one host; empty for no cap.',
        kind: 'number',
        placeholder: 'no cap'
      },
      {
        key: 'maxCrawlDelayMs',
        label: 'Max crawl delay',
        unit: 'ms',
        help: 'The longest robots.txt Crawl-delay honoured; longer ones are capped (the hosts view says so).',
        kind: 'integer',
        spiderOnly: true
      },
      {
        key: 'adaptiveConcurrency',
        label: 'Adaptive concurrency',
        help: 'Per host: halve the limit on 429, 503 and timeouts, grow it by one while healthy, never above Per host.',
        kind: 'toggle'
      },
      {
        key: 'failureSafeguardPercent',
        label: 'Failure safeguard',
        unit: '% failed',
        help: 'Pause the run when this share of recent requests failed, and say why; empty for off.',
        kind: 'number',
        placeholder: 'off'
      }
    ]
  },
  {
    id: 'concurrency',
    title: 'Concurrency',
    open: true,
    fields: [
      {
        key: 'concurrency',
        label: 'Concurrency',
        unit: 'requests',
        help: 'Requests in flight at once across all hosts. Adjustable while the run goes.',
        kind: 'integer'
      },
      {
        key: 'perHostConcurrency',
        label: 'Per host',
        unit: 'requests',
        help: 'Requests in flight at once to one host name. Adjustable while the run goes.',
        kind: 'integer'
      }
    ]
  },
  {
    id: 'timeouts',
    title: 'Timeouts',
    open: true,
    fields: [
      {
        key: 'connectTimeoutMs',
        label: 'Connect',
        unit: 'ms',
        help: 'TCP and TLS connection setup.',
        kind: 'integer'
      },
      {
        key: 'headersTimeoutMs',
        label: 'Headers',
        unit: 'ms',
        help: 'Request sent until the response headers arrive (time to first byte).',
        kind: 'integer'
      },
      {
        key: 'bodyTimeoutMs',
        label: 'Body idle',
        unit: 'ms',
        help: 'Longest gap between two chunks of the body.',
        kind: 'integer'
      },
      {
        key: 'totalTimeoutMs',
        label: 'Total',
        unit: 'ms',
        help: 'Deadline for one whole attempt, redirects included.',
        kind: 'integer'
      }
    ]
  },
  {
    id: 'retries',
    title: 'Retries',
    open: false,
    fields: [
      {
        key: 'retries',
        label: 'Retries',
        unit: 'times',
        help: 'Attempts after the first (0 = never retry).',
        kind: 'integer'
      },
      {
        key: 'backoffBaseMs',
        label: 'Backoff base',
        unit: 'ms',
        help: 'First wait ceiling; doubles each retry, with full jitter.',
        kind: 'integer'
      },
      {
        key: 'backoffMaxMs',
        label: 'Backoff cap',
        unit: 'ms',
        help: 'Largest wait ceiling.',
        kind: 'integer'
      },
      {
        key: 'retryStatuses',
        label: 'Retry statuses',
        help: 'Response statuses that are retried, comma-separated (400–599).',
        kind: 'text',
        placeholder: '429, 500, 502, 503, 504'
      },
      {
        key: 'respectRetryAfter',
        label: 'Honour Retry-After',
        help: 'Wait as long as the server asks (per host), up to the cap below.',
        kind: 'toggle'
      },
      {
        key: 'retryAfterMaxMs',
        label: 'Retry-After cap',
        unit: 'ms',
        help: 'The longest Retry-After wait honoured.',
        kind: 'integer'
      }
    ]
  },
  {
    id: 'request',
    title: 'Request',
    open: false,
    fields: [
      {
        key: 'method',
        label: 'Method',
        help: 'HEAD checks availability without downloading bodies (no titles).',
        kind: 'method'
      },
      {
        key: 'maxRedirects',
        label: 'Max redirects',
        unit: 'hops',
        help: 'Redirects followed per request.',
        kind: 'integer'
      },
      {
        key: 'maxBodyBytes',
        label: 'Max body',
        unit: 'bytes',
        help: 'Decoded body bytes read per response; larger bodies fail with BODY_TOO_LARGE.',
        kind: 'integer'
      },
      { key: 'userAgent', label: 'User agent', help: 'Sent with every request.', kind: 'text' },
      {
        key: 'headers',
        label: 'Headers',
        help: 'Extra request headers, one "Name: value" per line.',
        kind: 'textarea',
        placeholder: 'Accept-Language: en\nX-Team: analytics'
      }
    ]
  },
  {
    id: 'connection',
    title: 'Connection',
    open: false,
    fields: [
      {
        key: 'dnsCacheTtlMs',
        label: 'DNS cache',
        unit: 'ms',
        help: 'How long a resolved host name is reused.',
        kind: 'integer'
      },
      {
        key: 'keepAliveTimeoutMs',
        label: 'Keep-alive',
        unit: 'ms',
        help: 'Idle keep-alive sockets are closed after this.',
        kind: 'integer'
      }
    ]
  }
]
