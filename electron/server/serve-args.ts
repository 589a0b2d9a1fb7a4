import { homedir } from 'node:os'
import { join, resolve } from 'node:path'

/** Command line of `npm run serve` (the browser host). */

export interface ServeOptions {
  readonly port: number
  readonly dataDir: string
  readonly rendererDir: string
}

export type ServeCommand =
  { readonly kind: 'help' } | { readonly kind: 'serve'; readonly options: ServeOptions }

export const SERVE_USAGE = `Usage: npm run serve -- [options]

Serves the built dashboard (run \`npm run build\` first) and its API on 127.0.0.1.
Open the printed URL in a browser: the token in it grants access.

Options:
  --port N           port to listen on (default: a free one)
  --data-dir DIR     where preferences and the run database (crawlboard.db) are kept
                     (default: ~/.crawlboard, shared with the headless runner)
  --renderer-dir DIR the built renderer to serve (default: out/renderer)
  -h, --help         show this help`

export class ServeUsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ServeUsageError'
  }
}

export function parseServeArgs(argv: readonly string[], defaults: { repoRoot: string }): ServeCommand {
  let port = 0
  let dataDir = join(homedir(), '.crawlboard')
  let rendererDir = join(defaults.repoRoot, 'out', 'renderer')
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? ''
    const eq = arg.indexOf('=')
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg
    const inline = arg.startsWith('--') && eq > 0 ? arg.slice(eq + 1) : undefined
    const value = (): string => {
      if (inline !== undefined) return inline
      const next = argv[++i]
      if (next === undefined || next.startsWith('-')) throw new ServeUsageError(`${name} needs a value`)
      return next
    }
    switch (name) {
      case '-h':
      case '--help':
        return { kind: 'help' }
      case '--port': {
        const text = value()
        const n = Number(text)
        if (!/^\d+$/.test(text) || n > 65_535)
          throw new ServeUsageError(`--port must be 0–65535, got "${text}"`)
        port = n
        break
      }
      case '--data-dir':
        dataDir = resolve(value())
        break
      case '--renderer-dir':
        rendererDir = resolve(value())
        break
      default:
        throw new ServeUsageError(`unknown option "${arg}"`)
    }
  }
  return { kind: 'serve', options: { port, dataDir, rendererDir } }
}
