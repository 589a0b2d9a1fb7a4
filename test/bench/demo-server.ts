import { startDemoTarget } from '../../electron/core/demo/demo-target.ts'

// Runs the demo target in its own process, so benchmarks measure the engine, not a server
// sharing its event loop. Prints {"origin": …, "pid": …} once listening; exits when stdin closes.
const target = await startDemoTarget()
process.stdout.write(JSON.stringify({ origin: target.origin, pid: process.pid }) + '\n')
const stop = () => {
  void target.close().then(() => process.exit(0))
}
process.stdin.on('end', stop)
process.stdin.on('close', stop)
process.stdin.resume()
process.on('SIGTERM', stop)
