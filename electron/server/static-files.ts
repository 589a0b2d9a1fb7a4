import { createReadStream } from 'node:fs'
import { realpath, stat } from 'node:fs/promises'
import type { ServerResponse } from 'node:http'
import { extname, resolve, sep } from 'node:path'
import { pipeline } from 'node:stream/promises'

/**
 * Static files of the built renderer, and nothing else: a request path is decoded, resolved under
 * the root and checked to stay inside it, both as written and after symlinks are followed, so
 * `/../`, `%2e%2e%2f`, encoded backslashes and links pointing out of the build all end in a 404.
 */

export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm'
}

export function contentTypeOf(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream'
}

/** The real path of the regular file `pathname` names under `root` (itself a real path), or null. */
export async function resolveStaticFile(root: string, pathname: string): Promise<string | null> {
  let decoded: string
  try {
    decoded = decodeURIComponent(pathname)
  } catch {
    return null
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null
  const candidate = resolve(root, `.${decoded}`)
  if (!isInside(root, candidate)) return null
  try {
    const real = await realpath(candidate)
    if (!isInside(root, real)) return null
    return (await stat(real)).isFile() ? real : null
  } catch {
    return null
  }
}

function isInside(root: string, path: string): boolean {
  return path.startsWith(root.endsWith(sep) ? root : root + sep)
}

/** Streams a file with its content type; HEAD gets the headers only. */
export async function sendFile(
  method: string,
  res: ServerResponse,
  path: string,
  headers: Readonly<Record<string, string>>
): Promise<void> {
  const info = await stat(path)
  res.writeHead(200, {
    ...headers,
    'Content-Type': contentTypeOf(path),
    'Content-Length': String(info.size)
  })
  if (method === 'HEAD') {
    res.end()
    return
  }
  try {
    await pipeline(createReadStream(path), res)
  } catch (error) {
    // The browser went away mid-download (a reload, a closed tab): nothing to report.
    if ((error as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') throw error
  }
}
