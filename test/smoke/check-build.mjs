// Smoke check of the built files: every emitted script parses (`node --check`), and the entry
// points the app and the runner rely on exist. Catches bundling faults no unit test sees.
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

const required = ['out/main/index.js', 'out/main/cli.js', 'out/preload/index.cjs', 'out/renderer/index.html']
const missing = required.filter((file) => !existsSync(file))
if (missing.length > 0) {
  console.error(`smoke: missing build output: ${missing.join(', ')} (run npm run build)`)
  process.exit(1)
}

function scripts(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return scripts(path)
    return /\.(c|m)?js$/.test(name) ? [path] : []
  })
}

const files = ['out/main', 'out/preload', 'out/renderer/assets'].filter(existsSync).flatMap(scripts)
for (const file of files) {
  try {
    execFileSync(process.execPath, ['--check', file], { stdio: 'pipe' })
  } catch (error) {
    console.error(`smoke: ${file} does not parse:\n${String(error.stderr ?? error)}`)
    process.exit(1)
  }
}
console.log(`smoke: ${files.length} built files parse; entry points present`)
