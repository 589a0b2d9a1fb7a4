import { escapeHtml } from './demo-pages.ts'
import { mulberry32, pick, randInt, type Rng } from './demo-random.ts'
import { sitemapLastmod, SITEMAP_CHILDREN, type DemoSite } from './demo-site.ts'
import type { SiteLink, SiteLinkSection, SitePageModel } from './demo-site-links.ts'

/**
 * Markup for the synthetic site: pages of 2–5 KB (links plus a few paragraphs) and the sitemaps.
 * Built per request from the page model; nothing is cached, so memory does not grow with the site.
 */

const WORDS = (
  'latency throughput widget gateway cluster quarterly report region archive catalog index release ' +
  'pipeline dashboard metrics storage network partner customer invoice support service update status ' +
  'review summary policy roadmap feature backlog incident postmortem capacity forecast budget market'
).split(' ')

function sentence(rng: Rng): string {
  let text = pick(rng, WORDS)
  const length = randInt(rng, 6, 14)
  for (let i = 1; i < length; i++) text += ` ${pick(rng, WORDS)}`
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`
}

function paragraph(rng: Rng): string {
  let text = sentence(rng)
  const count = randInt(rng, 3, 6)
  for (let i = 1; i < count; i++) text += ` ${sentence(rng)}`
  return `<p>${text}</p>\n`
}

// Drawn once: making up sentences per request was half the cost of serving a page.
const PARAGRAPHS: readonly string[] = (() => {
  const rng = mulberry32(0x5eed)
  return Array.from({ length: 64 }, () => paragraph(rng))
})()

function anchor(link: SiteLink): string {
  const rel = link.rel === null ? '' : ` rel="${escapeHtml(link.rel)}"`
  return `<a href="${escapeHtml(link.href)}"${rel}>${escapeHtml(link.text)}</a>`
}

function items(links: readonly SiteLink[], section: SiteLinkSection): string {
  let html = ''
  for (const link of links) if (link.section === section) html += `<li>${anchor(link)}</li>`
  return html
}

export function renderSitePage(model: SitePageModel): string {
  const title = escapeHtml(model.title)
  const rng = mulberry32(model.textSeed)
  let head = `<!doctype html>\n<html lang="en"><head><meta charset="utf-8">\n<title>${title}</title>\n`
  if (model.baseHref !== null) head += `<base href="${escapeHtml(model.baseHref)}">\n`
  if (model.metaNofollow) head += '<meta name="robots" content="nofollow">\n'
  head += '<meta name="viewport" content="width=device-width, initial-scale=1">\n</head>\n'
  if (model.status !== 200) {
    return `${head}<body><h1>${title}</h1>\n${pick(rng, PARAGRAPHS)}</body></html>\n`
  }
  const crumbs = items(model.links, 'crumbs')
  return (
    `${head}<body>\n<header id="top"><nav><ul>${items(model.links, 'nav')}</ul></nav>\n` +
    (crumbs === '' ? '' : `<nav aria-label="Breadcrumb"><ol>${crumbs}</ol></nav>\n`) +
    `</header>\n<main id="main"><h1>${title}</h1>\n${pick(rng, PARAGRAPHS)}` +
    `<ul class="links">${items(model.links, 'body')}</ul>\n${pick(rng, PARAGRAPHS)}${pick(rng, PARAGRAPHS)}</main>\n` +
    `<footer><ul>${items(model.links, 'footer')}</ul></footer>\n</body></html>\n`
  )
}

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
const SITEMAP_NS = 'http://www.sitemaps.org/schemas/sitemap/0.9'

const escapeXml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/** The sitemap index robots.txt points to: the two sitemaps, one plain, one gzipped. */
export function sitemapIndexXml(origin: string): string {
  let xml = `${XML_HEAD}<sitemapindex xmlns="${SITEMAP_NS}">\n`
  for (const path of SITEMAP_CHILDREN) xml += `<sitemap><loc>${escapeXml(origin + path)}</loc></sitemap>\n`
  return `${xml}</sitemapindex>\n`
}

export function urlsetXml(site: DemoSite, origin: string, paths: readonly string[]): string {
  let xml = `${XML_HEAD}<urlset xmlns="${SITEMAP_NS}">\n`
  for (const path of paths) {
    xml += `<url><loc>${escapeXml(origin + path)}</loc><lastmod>${sitemapLastmod(site, path)}</lastmod></url>\n`
  }
  return `${xml}</urlset>\n`
}
