import { startDemoTarget } from '../../electron/core/demo/demo-target.ts'
import type { DemoSiteOptions } from '../../electron/core/demo/demo-target.ts'

// The demo target with a synthetic site of the size given as JSON in argv[2], in its own process
// (the spider benchmark measures the engine, not a server sharing its event loop). Prints
// {"origin": …} once listening; exits when stdin closes.
const site = JSON.parse(process.argv[2] ?? '{}') as DemoSiteOptions
const target = await startDemoTarget({ site })
process.stdout.write(JSON.stringify({ origin: target.origin, pid: process.pid }) + '\n')
const stop = () => {
  void target.close().then(() => process.exit(0))
}
process.stdin.on('end', stop)
process.stdin.on('close', stop)
process.stdin.resume()
process.on('SIGTERM', stop)
