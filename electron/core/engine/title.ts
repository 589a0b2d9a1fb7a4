import { Parser } from 'htmlparser2'
import { TextDecoder } from 'node:util'

/**
 * Page <title> extraction: decode the first bytes of an HTML body with the right charset, tokenize
 * with htmlparser2 (entities decoded), and keep the first title's text with whitespace collapsed.
 * The result is plain text: it is shown as data and never rendered as HTML.
 */

/** Bytes of body kept for title extraction; titles sit in <head>, well inside this. */
export const TITLE_SCAN_BYTES = 64 * 1024
/** The HTML spec's encoding prescan only looks at the first 1024 bytes for <meta charset>. */
const PRESCAN_BYTES = 1024
const MAX_TITLE_CHARS = 1_000

export function isHtmlContentType(contentType: string | null): boolean {
  if (contentType === null) return true
  const type = contentType.split(';', 1)[0]?.trim().toLowerCase() ?? ''
  return type === 'text/html' || type === 'application/xhtml+xml' || type === ''
}

export function charsetFromContentType(contentType: string | null): string | null {
  if (!contentType) return null
  const match = /;\s*charset\s*=\s*("?)([^";,\s]+)\1/i.exec(contentType)
  return match?.[2] ?? null
}

function bomCharset(bytes: Uint8Array): { charset: string; skip: number } | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { charset: 'utf-8', skip: 3 }
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { charset: 'utf-16be', skip: 2 }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { charset: 'utf-16le', skip: 2 }
  return null
}

/** <meta charset="x"> or <meta http-equiv="content-type" content="…; charset=x"> in the prescan window. */
export function charsetFromMeta(bytes: Uint8Array): string | null {
  const head = WINDOWS_1252.decode(bytes.subarray(0, PRESCAN_BYTES))
  const direct = /<meta[^>]*?\bcharset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head)
  return direct?.[1] ?? null
}

/**
 * Decoders by label, made once: building one loads a converter, which costs more than decoding a
 * page head, and whole-buffer decode() keeps no state between calls. Unknown labels map to null.
 */
const decoders = new Map<string, TextDecoder | null>()
const FATAL_UTF8 = new TextDecoder('utf-8', { fatal: true })
const WINDOWS_1252 = new TextDecoder('windows-1252')

function decoderFor(label: string | null): TextDecoder | null {
  if (!label) return null
  const key = label.toLowerCase()
  let decoder = decoders.get(key)
  if (decoder === undefined) {
    try {
      decoder = new TextDecoder(key)
    } catch {
      decoder = null
    }
    // Labels come from crawled pages: bound the cache so hostile ones cannot grow it forever.
    if (decoders.size < 256) decoders.set(key, decoder)
  }
  return decoder
}

/** Decodes HTML bytes as a browser would pick the encoding: BOM, header, meta, then UTF-8 / windows-1252. */
export function decodeHtml(bytes: Uint8Array, contentType: string | null): string {
  const bom = bomCharset(bytes)
  if (bom) return (decoderFor(bom.charset) ?? FATAL_UTF8).decode(bytes.subarray(bom.skip))
  const declared = decoderFor(charsetFromContentType(contentType)) ?? decoderFor(charsetFromMeta(bytes))
  if (declared) return declared.decode(bytes)
  try {
    return FATAL_UTF8.decode(bytes)
  } catch {
    return WINDOWS_1252.decode(bytes)
  }
}

/** Bytes a streaming decoder wants before choosing a charset: the meta prescan window. */
export const CHARSET_PRESCAN_BYTES = PRESCAN_BYTES

/**
 * A fresh decoder for reading an HTML body piece by piece (link extraction), chosen from the
 * first bytes as decodeHtml chooses: BOM, Content-Type charset, <meta charset>. With none declared
 * it is UTF-8 (lenient): decodeHtml's fallback to windows-1252 needs the whole body in hand, and
 * the URLs links carry are ASCII in practice. `skip` is the BOM's length.
 */
export function streamingDecoder(
  head: Uint8Array,
  contentType: string | null
): { decoder: TextDecoder; skip: number } {
  const bom = bomCharset(head)
  const label = bom?.charset ?? charsetFromContentType(contentType) ?? charsetFromMeta(head)
  // decoderFor checks the label against the known encodings (and caches that answer).
  const known = decoderFor(label) !== null && label !== null
  return { decoder: new TextDecoder(known ? label.toLowerCase() : 'utf-8'), skip: bom?.skip ?? 0 }
}

/**
 * What browsers do to document.title: strip and collapse ASCII whitespace (tab, LF, FF, CR, space)
 * only. A no-break space (&nbsp;) and other Unicode spaces are content and stay as they are.
 */
export function collapseWhitespace(text: string): string {
  return text.replace(/[\t\n\f\r ]+/g, ' ').replace(/^ | $/g, '')
}

/** The first <title>'s text, or null when the page has none (or it is empty). */
export function extractTitle(html: string): string | null {
  // One object, not loose lets: the parser's callbacks mutate it (keeps narrowing honest).
  const scan = { inTitle: false, done: false, text: '' }
  const parser = new Parser(
    {
      onopentag(name) {
        if (!scan.done && name === 'title') scan.inTitle = true
      },
      ontext(chunk) {
        if (scan.inTitle && scan.text.length < MAX_TITLE_CHARS * 4) scan.text += chunk
      },
      onclosetag(name) {
        if (scan.inTitle && name === 'title') {
          scan.inTitle = false
          scan.done = true
          parser.pause()
        }
        // Titles live in <head>; stop once the head closes to keep this cheap.
        if (name === 'head' && !scan.inTitle) {
          scan.done = true
          parser.pause()
        }
      }
    },
    { decodeEntities: true, lowerCaseTags: true }
  )
  parser.write(html)
  if (!scan.done) parser.end()
  const title = collapseWhitespace(scan.text).slice(0, MAX_TITLE_CHARS)
  return title === '' ? null : title
}

export function titleOf(bytes: Uint8Array, contentType: string | null): string | null {
  if (bytes.length === 0 || !isHtmlContentType(contentType)) return null
  return extractTitle(decodeHtml(bytes, contentType))
}
