import { hashString, mulberry32, pick, randInt } from './demo-random.ts'
import {
  CALENDAR_FIRST_MONTH,
  CALENDAR_LAST_MONTH,
  calendarMonth,
  familySize,
  REPEAT_TRAP_MAX_SEGMENTS,
  SITE_BRANCHING,
  SITE_EXTERNAL_HOST,
  SITE_PREFIX,
  treeChildren,
  treeFault,
  treeParent,
  treePath,
  type DemoSite,
  type SitePage
} from './demo-site.ts'

/**
 * What each synthetic-site page says: its status, title, <base>, robots meta and links. A link
 * carries the href as written in the page and, computed apart from it, the URL it must resolve to
 * (or why a crawler must ignore it). The server renders the hrefs; siteFacts walks the targets; a
 * test parses the served pages and checks that both agree.
 *
 * Hrefs come in every form a crawler meets: relative (`41`, `../p/6`, `./`), absolute-path, absolute
 * with the host the request was addressed to, protocol-relative, an upper-case scheme and host,
 * fragments on duplicates, whitespace around a URL, a <base href> (absolute or relative) on every
 * tenth page, tracking parameters, rel=nofollow in three spellings, and links to ignore (fragment
 * only, empty, mailto:, tel:, javascript:).
 */

export type SiteLinkTarget =
  | { readonly on: 'site'; readonly path: string }
  | { readonly on: 'external'; readonly url: string }
  /** Not a link to fetch: fragment-only or empty (the page itself), or not http(s). */
  | { readonly on: 'ignored' }

export type SiteLinkSection = 'nav' | 'crumbs' | 'body' | 'footer'

export interface SiteLink {
  readonly href: string
  readonly text: string
  readonly rel: string | null
  /** rel says nofollow, or the page's robots meta does. */
  readonly nofollow: boolean
  readonly to: SiteLinkTarget
  readonly section: SiteLinkSection
}

export type SiteTrap = 'calendar' | 'repeating-path'

export interface SitePageModel {
  readonly status: 200 | 404 | 500
  readonly title: string
  readonly baseHref: string | null
  readonly metaNofollow: boolean
  readonly links: readonly SiteLink[]
  readonly trap: SiteTrap | null
  /** Seeds the filler text, so a page's body is the same on every request. */
  readonly textSeed: number
}

export type HtmlSitePage = Exclude<SitePage, { kind: 'file' | 'sitemap' | 'sitemap-index' }>

const TOPICS = [
  'Quarterly widget report',
  'Gateway latency review',
  'Release notes',
  'Partner directory',
  'Incident postmortem',
  'Capacity forecast',
  'Support knowledge base',
  'Market analysis',
  'Archive catalog',
  'Engineering roadmap'
]

export function treeTitle(site: DemoSite, n: number): string {
  if (n === 0) return 'Demo site: home'
  return `Page ${n}: ${pick(mulberry32(hashString(`${site.seed}:title:${n}`)), TOPICS)}`
}

const NOFOLLOW_RELS = ['nofollow', 'noopener nofollow', 'NoFollow external']

const site_ = (path: string): SiteLinkTarget => ({ on: 'site', path })
const IGNORED: SiteLinkTarget = { on: 'ignored' }

class Links {
  readonly list: SiteLink[] = []
  readonly #metaNofollow: boolean
  constructor(metaNofollow = false) {
    this.#metaNofollow = metaNofollow
  }

  add(section: SiteLinkSection, href: string, text: string, to: SiteLinkTarget, rel: string | null = null) {
    const nofollow = this.#metaNofollow || (rel !== null && rel.toLowerCase().split(' ').includes('nofollow'))
    this.list.push({ href, text, rel, nofollow, to, section })
  }
}

/** `host` is the authority the request was addressed to (`127.0.0.1:40123`); absolute links use it. */
export function sitePageModel(site: DemoSite, page: HtmlSitePage, host: string): SitePageModel {
  const origin = `http://${host}`
  const family = familySize(site)
  const seed = (what: string) => hashString(`${site.seed}:text:${what}`)
  const simple = (
    title: string,
    what: string,
    build: (links: Links) => void,
    meta = false
  ): SitePageModel => {
    const links = new Links(meta)
    links.add('nav', SITE_PREFIX, 'Home', site_(SITE_PREFIX))
    build(links)
    return {
      status: 200,
      title,
      baseHref: null,
      metaNofollow: meta,
      links: links.list,
      trap: null,
      textSeed: seed(what)
    }
  }
  switch (page.kind) {
    case 'home':
      return treePage(site, 0, origin, host)
    case 'tree':
      return treePage(site, page.n, origin, host)
    case 'nofollow-target':
      return simple(`Reached through nofollow links only (${page.k})`, `nf${page.k}`, (links) => {
        if (page.k + 1 < family)
          links.add('body', String(page.k + 1), 'Next', site_(`${SITE_PREFIX}nf/${page.k + 1}`))
      })
    case 'meta-nofollow':
      // Every link here is nofollow by the robots meta, though none says so itself.
      return simple(
        'Links on this page are nofollow',
        'meta-nofollow',
        (links) => {
          const last = `nf/${family - 1}`
          links.add('body', last, 'A nofollow target', site_(`${SITE_PREFIX}${last}`))
        },
        true
      )
    case 'private':
      return simple(`Private page ${page.k}`, `private${page.k}`, (links) => {
        if (page.k + 1 < family)
          links.add('body', String(page.k + 1), 'Next', site_(`${SITE_PREFIX}private/${page.k + 1}`))
      })
    case 'press-kit':
      return simple('Press kit (allowed inside the private section)', 'press-kit', (links) => {
        links.add('body', '0', 'Private page 0', site_(`${SITE_PREFIX}private/0`))
      })
    case 'orphan':
      return simple(`Orphan page ${page.k}: listed in the sitemap only`, `orphan${page.k}`, (links) => {
        if (site.pages > 1) {
          const m = 1 + (page.k % (site.pages - 1))
          links.add('body', `../p/${m}`, treeTitle(site, m), site_(treePath(m)))
        }
      })
    case 'calendar':
      return calendarPage(page.month)
    case 'repeat':
      return repeatPage(page.segments)
  }
}

function trapPage(title: string, trap: SiteTrap, build: (links: Links) => void): SitePageModel {
  const links = new Links()
  links.add('nav', SITE_PREFIX, 'Home', site_(SITE_PREFIX))
  build(links)
  return {
    status: 200,
    title,
    baseHref: null,
    metaNofollow: false,
    links: links.list,
    trap,
    textSeed: hashString(title)
  }
}

/** "Next month" forever: every month is a new URL with the same path (a growing set of variants). */
function calendarPage(month: number): SitePageModel {
  return trapPage(`Events in ${calendarMonth(month)}`, 'calendar', (links) => {
    for (const [m, text] of [
      [month - 1, 'Previous month'],
      [month + 1, 'Next month']
    ] as const) {
      if (m < CALENDAR_FIRST_MONTH || m > CALENDAR_LAST_MONTH) continue
      const query = `?month=${calendarMonth(m)}`
      links.add('body', query, text, site_(`${SITE_PREFIX}calendar${query}`))
    }
  })
}

/** A relative link missing its leading slash: /site/a/ → /site/a/b/ → /site/a/b/a/ → … */
function repeatPage(segments: number): SitePageModel {
  let path = SITE_PREFIX
  for (let i = 0; i < segments; i++) path += i % 2 === 0 ? 'a/' : 'b/'
  return trapPage(`Nested folder, level ${segments}`, 'repeating-path', (links) => {
    if (segments >= REPEAT_TRAP_MAX_SEGMENTS) return
    const next = segments % 2 === 0 ? 'a/' : 'b/'
    links.add('body', next, 'Open the sub-folder', site_(path + next))
  })
}

function treePage(site: DemoSite, n: number, origin: string, host: string): SitePageModel {
  const textSeed = hashString(`${site.seed}:text:p${n}`)
  const title = treeTitle(site, n)
  const fault = treeFault(site, n)
  if (fault === 'not-found' || fault === 'server-error') {
    const status = fault === 'not-found' ? 404 : 500
    const what = status === 404 ? 'Not found' : 'Internal server error'
    return {
      status,
      title: `${what}: page ${n}`,
      baseHref: null,
      metaNofollow: false,
      links: [],
      trap: null,
      textSeed
    }
  }
  const links = new Links()
  const pages = site.pages
  const parent = treeParent(n)
  const children = treeChildren(site, n)
  // Every tenth page resolves its relative links against /site/ by a <base href>: absolute on
  // pages 2, 22, 42 …, relative (`../`) on 12, 32 …
  const baseHref = n % 20 === 2 ? `${origin}${SITE_PREFIX}` : n % 20 === 12 ? '../' : null
  const fromSite = baseHref !== null || n === 0
  const rel = (m: number): string => (fromSite ? (m === 0 ? './' : `p/${m}`) : m === 0 ? '../' : String(m))
  const relSibling = (m: number): string => (fromSite ? `p/${m}` : `../p/${m}`)
  const to = (m: number, query = ''): SiteLinkTarget => site_(`${treePath(m)}${query}`)

  links.add('nav', '#main', 'Skip to content', IGNORED)
  links.add('nav', SITE_PREFIX, 'Home', to(0))
  for (let s = 1; s <= SITE_BRANCHING && s < pages; s++) links.add('nav', treePath(s), `Section ${s}`, to(s))

  const ancestors: number[] = []
  for (let a = parent; a !== null; a = treeParent(a)) ancestors.unshift(a)
  for (const a of ancestors) links.add('crumbs', `${origin}${treePath(a)}`, treeTitle(site, a), to(a))

  for (const c of children) links.add('body', rel(c), treeTitle(site, c), to(c))
  // The same page again, as a crawler must collapse it: fragments, upper-case scheme and host.
  const twin = children[0] ?? parent
  if (twin !== null) {
    links.add('body', `${rel(twin)}#top`, 'Top of that page', to(twin))
    links.add('body', `HTTP://${host.toUpperCase()}${treePath(twin)}#children`, 'Same page again', to(twin))
  }
  for (const s of [n - 1, n + 1]) {
    if (n > 0 && s >= 1 && s < pages && treeParent(s) === parent) {
      links.add('body', relSibling(s), s < n ? 'Previous' : 'Next', to(s))
    }
  }
  if (n >= 2) {
    const rng = mulberry32(hashString(`${site.seed}:links:${n}`))
    for (let i = 0; i < 3; i++) {
      const m = randInt(rng, 0, n - 1)
      const href = i === 0 ? treePath(m) : i === 1 ? `${origin}${treePath(m)}` : rel(m)
      links.add('body', href, treeTitle(site, m), to(m))
    }
  }

  if (n === 0) homeExtras(links)
  else specials(links, { site, n, host, parent: parent ?? 0, twin: twin ?? 0, rel })

  links.add('footer', `mailto:webmaster@${SITE_EXTERNAL_HOST}`, 'Write to us', IGNORED)
  links.add('footer', '#top', 'Back to top', IGNORED)
  return { status: 200, title, baseHref, metaNofollow: false, links: links.list, trap: null, textSeed }
}

function homeExtras(links: Links): void {
  links.add('body', 'calendar', 'Events calendar', site_(`${SITE_PREFIX}calendar`))
  links.add('body', 'a/', 'File archive', site_(`${SITE_PREFIX}a/`))
  links.add('body', 'meta-nofollow', 'Links nobody should follow', site_(`${SITE_PREFIX}meta-nofollow`))
  links.add('body', 'private/press-kit', 'Press kit', site_(`${SITE_PREFIX}private/press-kit`))
  links.add('body', `https://${SITE_EXTERNAL_HOST}/`, 'Our partner', {
    on: 'external',
    url: `https://${SITE_EXTERNAL_HOST}/`
  })
}

interface SpecialContext {
  readonly site: DemoSite
  readonly n: number
  readonly host: string
  readonly parent: number
  /** The first child, else the parent: a page this one also links plainly. */
  readonly twin: number
  rel(m: number): string
}

/** One extra kind of link per page, by the last digit of its number. */
function specials(links: Links, c: SpecialContext): void {
  const { n, host } = c
  const k = Math.floor(n / 10) % familySize(c.site)
  switch (n % 10) {
    case 1: {
      // Tracking parameters on a page linked plainly too: stripping utm_* leaves nothing new.
      const q1 = '?utm_source=newsletter&utm_medium=email'
      const q2 = '?utm_source=feed'
      links.add('body', `${c.rel(c.twin)}${q1}`, 'From the newsletter', site_(`${treePath(c.twin)}${q1}`))
      links.add('body', `${treePath(c.twin)}${q2}`, 'From the feed', site_(`${treePath(c.twin)}${q2}`))
      return
    }
    case 3: {
      const rel = NOFOLLOW_RELS[Math.floor(n / 10) % NOFOLLOW_RELS.length] ?? 'nofollow'
      links.add('body', `${SITE_PREFIX}nf/${k}`, 'Sponsored', site_(`${SITE_PREFIX}nf/${k}`), rel)
      return
    }
    case 4:
      links.add('body', `${SITE_PREFIX}private/${k}`, 'Staff only', site_(`${SITE_PREFIX}private/${k}`))
      links.add('body', `${c.rel(n)}?sort=asc`, 'Sort this list', site_(`${treePath(n)}?sort=asc`))
      return
    case 5: {
      const catalog = { on: 'external', url: `https://${SITE_EXTERNAL_HOST}/catalog` } as const
      const www = { on: 'external', url: `http://www.${SITE_EXTERNAL_HOST}/` } as const
      links.add('body', `https://${SITE_EXTERNAL_HOST}/catalog`, 'Partner catalog', catalog)
      links.add('body', `HTTPS://${SITE_EXTERNAL_HOST.toUpperCase()}:443/catalog#reviews`, 'Reviews', catalog)
      links.add('body', `http://www.${SITE_EXTERNAL_HOST}:80/`, 'Partner home', www)
      links.add('body', `http://www.${SITE_EXTERNAL_HOST}/#top`, 'Partner home again', www)
      return
    }
    case 6: {
      const file = `${SITE_PREFIX}files/report-${n}.pdf`
      // robots.txt's `.pdf$` blocks the file itself but not the same file with a query.
      links.add('body', file, 'Report (PDF)', site_(file))
      links.add('body', `${file}?download=1`, 'Download the report', site_(`${file}?download=1`))
      return
    }
    case 7:
      links.add('body', `//${host}${treePath(c.parent)}`, 'Up (protocol-relative)', site_(treePath(c.parent)))
      links.add('body', 'javascript:void(0)', 'Print', IGNORED)
      links.add('body', 'tel:+1-555-0100', 'Call us', IGNORED)
      links.add('body', '', 'This page', IGNORED)
      return
    case 8:
      links.add('body', `  ${treePath(c.parent)}  `, 'Up (spaces around the URL)', site_(treePath(c.parent)))
      return
    default:
      return
  }
}
