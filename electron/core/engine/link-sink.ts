import { LinkExtractor, type ExtractedLinks, type LinkExtractorOptions } from '../crawl/link-extractor.ts'
import type { TextDecoder } from 'node:util'
import { CHARSET_PRESCAN_BYTES, streamingDecoder } from './title.ts'

/**
 * Feeds an HTML body to the streaming link extractor as it arrives (spider mode). The hop handler
 * hands over each decoded (Content-Encoding undone) chunk within the body cap; bytes become text
 * with the charset title.ts would pick, chosen once the first 1024 bytes (the HTML spec's meta
 * prescan window) are in, so only that much is ever buffered.
 */
export class HtmlLinkSink {
  readonly #extractor: LinkExtractor
  readonly #contentType: string | null
  #decoder: TextDecoder | null = null
  #head: Buffer[] = []
  #headBytes = 0

  constructor(pageUrl: URL, contentType: string | null, options: LinkExtractorOptions) {
    this.#extractor = new LinkExtractor(pageUrl, options)
    this.#contentType = contentType
  }

  write(chunk: Buffer): void {
    if (this.#decoder) {
      this.#extractor.write(this.#decoder.decode(chunk, { stream: true }))
      return
    }
    this.#head.push(chunk)
    this.#headBytes += chunk.length
    if (this.#headBytes >= CHARSET_PRESCAN_BYTES) this.#start()
  }

  /** The page's links (normalised, deduplicated, resolved against its base). */
  end(): ExtractedLinks {
    if (!this.#decoder) this.#start()
    const rest = this.#decoder?.decode() ?? ''
    if (rest !== '') this.#extractor.write(rest)
    return this.#extractor.end()
  }

  #start(): void {
    const head = Buffer.concat(this.#head, this.#headBytes)
    this.#head = []
    const { decoder, skip } = streamingDecoder(head, this.#contentType)
    this.#decoder = decoder
    if (head.length > skip) this.#extractor.write(decoder.decode(head.subarray(skip), { stream: true }))
  }
}
