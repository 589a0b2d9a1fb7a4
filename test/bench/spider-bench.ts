import { Parser } from 'htmlparser2'
import { LinkExtractor } from '../../electron/core/crawl/link-extractor.ts'

/**
 * Link extraction throughput (issue 5): one synthetic 200 KB product-listing page with ~2,000
 * links, fed in 16 KB chunks as a body arrives, on one core. The reference is a bare htmlparser2
 * Parser with no callbacks over the same chunks: the tokenizer's own cost, which the extractor
 * cannot go below. Rounds alternate between the two so machine noise hits both alike; each
 * figure is the median round, in pages per second of CPU time (steadier than wall time on a shared
 * machine; wall time is reported too).
 *
 * Run alone: `node --experimental-strip-types test/bench/spider-bench.ts`.
 */

const PAGE_URL = 'https://shop.example.com/category/shoes/?page=3'
const CHUNK_CHARS = 16 * 1024
const ROUND_MS = 400
const ROUNDS = 7

/** A listing page as shops render them: head, mega-menu, product cards, pagination, footer. */
export function syntheticListingPage(targetBytes = 200 * 1024): string {
  const head = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Shoes – page 3 | Example Shop</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/static/css/main.4f2a9c.css"><link rel="canonical" href="${PAGE_URL}">
<link rel="prev" href="?page=2"><link rel="next" href="?page=4">
<link rel="alternate" hreflang="de" href="https://shop.example.com/de/kategorie/schuhe/?page=3">
<script>window.__STATE__ = {"user":null,"cart":{"items":[]},"flags":{"newCheckout":true}};</script>
<script src="/static/js/runtime.8d1e.js" defer></script></head>
<body class="listing"><header class="site-header"><a class="logo" href="/"><img src="/static/logo.svg" alt="Example Shop"></a>
<nav class="mega-menu" aria-label="Main">`
  const parts: string[] = [head]
  for (let i = 0; i < 60; i++) {
    parts.push(
      `<a class="mega-menu__link" href="/category/${['shoes', 'bags', 'coats', 'hats'][i % 4]}/sub-${i}/">Section ${i}</a>`
    )
  }
  parts.push('</nav></header><main id="content"><ul class="grid">')
  let size = parts.join('').length
  const footer = `</ul><nav class="pagination"><a href="?page=1">1</a><a href="?page=2">2</a><span>3</span><a href="?page=4">4</a></nav></main>
<footer><a href="/about">About us</a> <a href="/privacy" rel="nofollow">Privacy</a> <a href="mailto:help@example.com">Contact</a>
<a href="https://twitter.com/exampleshop" rel="noopener nofollow" target="_blank">Twitter</a></footer></body></html>`
  for (let i = 0; size < targetBytes - footer.length; i++) {
    const id = 10_000 + i * 37
    // Relative, absolute and tracking-parameter links mixed, as CMS templates mix them; the image
    // and the title link to the product, as on most shops.
    const product =
      i % 5 === 0
        ? `https://shop.example.com/p/${id}-running-shoe?ref=grid&amp;pos=${i}`
        : i % 5 === 1
          ? `../../p/${id}-trail-shoe/`
          : `/p/${id}-sneaker?utm_source=listing&amp;variant=${i % 4}`
    const card = `<li class="card" data-id="${id}"><a href="${product}"><img src="/img/${id}.webp" alt="Sneaker ${id}" width="300" height="200"></a>
<h3><a href="${product}">Sneaker &ldquo;${id}&rdquo;</a></h3><a class="brand" href="/brand/b${i % 9}">Brand ${i % 9}</a>
<a href="${product}#reviews">${i % 40} reviews</a> <a href="/compare?add=${id}" rel="nofollow">Compare</a><p class="price">€&nbsp;${49 + (i % 50)}.00</p></li>\n`
    parts.push(card)
    size += card.length
  }
  parts.push(footer)
  return parts.join('')
}

function chunksOf(text: string): string[] {
  const chunks: string[] = []
  for (let i = 0; i < text.length; i += CHUNK_CHARS) chunks.push(text.slice(i, i + CHUNK_CHARS))
  return chunks
}

function bareParse(chunks: readonly string[]): void {
  const parser = new Parser(null, { decodeEntities: true })
  for (const chunk of chunks) parser.write(chunk)
  parser.end()
}

function extract(chunks: readonly string[]): number {
  const extractor = new LinkExtractor(PAGE_URL)
  for (const chunk of chunks) extractor.write(chunk)
  return extractor.end().links.length
}

/** <a> and <area> elements: the page's links as a person would count them. */
const countAnchors = (page: string) => (page.match(/<(a|area)\s[^>]*href=/gi) ?? []).length

/** Pages per second over one round, by CPU time and by wall time. */
function round(pass: () => unknown): { cpu: number; wall: number } {
  const cpuStart = process.cpuUsage()
  const wallStart = performance.now()
  let pages = 0
  while (performance.now() - wallStart < ROUND_MS) {
    pass()
    pages++
  }
  const wallMs = performance.now() - wallStart
  const cpu = process.cpuUsage(cpuStart)
  const cpuMs = (cpu.user + cpu.system) / 1000
  return { cpu: (pages * 1000) / cpuMs, wall: (pages * 1000) / wallMs }
}

const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0

export interface LinkBench {
  readonly pageBytes: number
  /** Link elements in the markup, and the distinct URLs they name. */
  readonly anchors: number
  readonly links: number
  readonly extractorPagesPerSecond: number
  readonly extractorWallPagesPerSecond: number
  readonly barePagesPerSecond: number
  readonly ratioToBare: number
  readonly extractorMbPerSecond: number
}

export function benchLinks(): LinkBench {
  const page = syntheticListingPage()
  const chunks = chunksOf(page)
  const links = extract(chunks)
  // Warm up both paths so the JIT has compiled them before anything is timed.
  const bareRound = () =>
    round(() => {
      bareParse(chunks)
    })
  const extractRound = () => round(() => extract(chunks))
  bareRound()
  extractRound()
  const bare: number[] = []
  const extractor: number[] = []
  const extractorWall: number[] = []
  for (let i = 0; i < ROUNDS; i++) {
    bare.push(bareRound().cpu)
    const r = extractRound()
    extractor.push(r.cpu)
    extractorWall.push(r.wall)
  }
  const extractorPagesPerSecond = median(extractor)
  const barePagesPerSecond = median(bare)
  return {
    pageBytes: Buffer.byteLength(page),
    anchors: countAnchors(page),
    links,
    extractorPagesPerSecond,
    extractorWallPagesPerSecond: median(extractorWall),
    barePagesPerSecond,
    ratioToBare: extractorPagesPerSecond / barePagesPerSecond,
    extractorMbPerSecond: (extractorPagesPerSecond * Buffer.byteLength(page)) / (1024 * 1024)
  }
}

if (import.meta.main) console.log(benchLinks())
