/**
 * Escaping for the HTML report. Everything in it that came from a crawl (titles, URLs, error
 * messages) or from the analyst (run name, note) is untrusted text: it goes through markup`…`, which
 * escapes every interpolated string, so markup can only come from the report's own templates.
 */

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;'
}

/**
 * Characters HTML text may not hold (C0 controls but tab, LF and CR; DEL and C1 controls; lone
 * surrogates, which cannot be encoded as UTF-8): each becomes U+FFFD, so the reader sees that
 * something was there rather than a parser's guess.
 */
const UNPRINTABLE =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/** Text safe in element content and in double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(UNPRINTABLE, '\uFFFD').replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c)
}

/** Markup the report's own code produced; the only way markup enters the document. */
export class SafeHtml {
  readonly html: string

  constructor(html: string) {
    this.html = html
  }

  toString(): string {
    return this.html
  }
}

export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[]

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false || value === true) return ''
  if (value instanceof SafeHtml) return value.html
  if (typeof value === 'number') return String(value)
  if (typeof value === 'string') return escapeHtml(value)
  if (Array.isArray(value)) return value.map(render).join('')
  // Not a type the template takes (a caller's cast): shown as escaped text, never as markup.
  return escapeHtml(String(value))
}

/**
 * The report's template tag: strings are escaped, numbers written as they are, SafeHtml kept,
 * arrays joined, null/undefined/booleans dropped (so `${cond && markup`…`}` works). Attribute
 * values must be quoted in the template: escaping protects quoted values only.
 */
export function markup(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0] ?? ''
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '')
  return new SafeHtml(out)
}

/** Joins fragments. */
export function joinHtml(parts: readonly HtmlValue[], separator = ''): SafeHtml {
  return new SafeHtml(parts.map(render).join(render(separator)))
}

/**
 * The href for a crawled URL, or null when it must not be a link: only http and https are ever
 * linked (a `javascript:` or `data:` URL stays text). The href is the URL parser's normal form, the
 * same one the browser would follow.
 */
export function safeHttpHref(url: string): string | null {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return null
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null
  return parsed.href
}
