import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createCrawlerBackend, SIGNAL_REASONS } from '../core/index.ts'
import { startBrowserHost } from './browser-host.ts'
import { parseServeArgs, SERVE_USAGE, ServeUsageError, type ServeOptions } from './serve-args.ts'

/**
 * `npm run serve`: the browser host as a process. Node 24 runs this file directly (type
 * stripping); it builds nothing, it serves what `npm run build` left in out/renderer.
 */

const repoRoot = join(import.meta.dirname, '..', '..')

async function main(argv: readonly string[]): Promise<number> {
  let options: ServeOptions
  try {
    const command = parseServeArgs(argv, { repoRoot })
    if (command.kind === 'help') {
      console.log(SERVE_USAGE)
      return 0
    }
    options = command.options
  } catch (error) {
    if (!(error instanceof ServeUsageError)) throw error
    console.error(`crawlboard serve: ${error.message}\nRun with --help for usage.`)
    return 2
  }
  if (!existsSync(join(options.rendererDir, 'index.html'))) {
    console.error(
      `crawlboard serve: ${join(options.rendererDir, 'index.html')} is missing: run \`npm run build\` first.`
    )
    return 1
  }

  const backend = createCrawlerBackend({
    dataDir: options.dataDir,
    version: readVersion(),
    transport: 'browser'
  })
  let host
  try {
    host = await startBrowserHost({
      port: options.port,
      rendererDir: options.rendererDir,
      backend,
      downloads: backend
    })
  } catch (error) {
    await backend.close()
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EADDRINUSE')
      console.error(`crawlboard serve: port ${options.port} is in use: pick another with --port.`)
    else console.error(`crawlboard serve: ${(error as Error).message}`)
    return 1
  }

  console.log(`Crawlboard is serving on ${host.url}`)
  console.log('Open that URL in a browser (the token in it grants access). Press Ctrl-C to stop.')
  console.log(`Preferences: ${join(options.dataDir, 'preferences.json')}`)
  const store = await backend.getStoreStatus()
  if (store.kind === 'unavailable') console.warn(`Runs are kept in memory only: ${store.message}`)
  else console.log(`Runs: ${store.path}`)

  await new Promise<void>((resolve) => {
    let stopping = false
    const stop = (signal: NodeJS.Signals): void => {
      if (stopping) {
        console.error(`\n${signal} again: exiting without waiting.`)
        process.exit(130)
      }
      stopping = true
      console.log('\nStopping: cancelling runs and closing connections…')
      void host
        .close()
        .then(() => backend.close(SIGNAL_REASONS[signal === 'SIGTERM' ? 'SIGTERM' : 'SIGINT']))
        .catch((error: unknown) => {
          console.error('crawlboard serve: shutdown failed:', error)
        })
        .finally(resolve)
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
  return 0
}

function readVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version?: unknown }
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0'
  } catch {
    return '0.0.0'
  }
}

process.exitCode = await main(process.argv.slice(2))
