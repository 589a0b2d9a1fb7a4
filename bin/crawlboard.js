#!/usr/bin/env node
// The `crawlboard` command: runs the built headless runner (npm run build creates it).
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const built = fileURLToPath(new URL('../out/main/cli.js', import.meta.url))
if (!existsSync(built)) {
  console.error(
    'crawlboard: the runner is not built yet; run `npm run build` in the Crawlboard folder first.'
  )
  process.exit(2)
}
await import(built)
