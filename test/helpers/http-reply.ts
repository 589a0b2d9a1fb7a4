import { request, type Dispatcher } from 'undici'

/** A whole HTTP answer as the demo tests read it: status, headers, body and how long it took. */
export interface Reply {
  readonly status: number
  readonly headers: Record<string, string | string[] | undefined>
  readonly body: Buffer
  readonly ms: number
}

export interface ReplyOptions {
  readonly method?: 'GET' | 'HEAD' | 'POST'
  readonly headers?: Record<string, string>
  readonly headersTimeout?: number
}

/** One request over `agent`, its body read in full. */
export async function fetchReply(agent: Dispatcher, url: string, opts: ReplyOptions = {}): Promise<Reply> {
  const started = performance.now()
  const res = await request(url, {
    method: opts.method ?? 'GET',
    dispatcher: agent,
    headers: opts.headers ?? {},
    headersTimeout: opts.headersTimeout ?? 10_000,
    bodyTimeout: 10_000
  })
  const body = Buffer.from(await res.body.arrayBuffer())
  return { status: res.statusCode, headers: res.headers, body, ms: performance.now() - started }
}

export const header = (reply: Reply, name: string): string => String(reply.headers[name] ?? '')

export const titleOf = (html: string): string | undefined => /<title>([\s\S]*?)<\/title>/.exec(html)?.[1]
