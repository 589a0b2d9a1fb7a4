import { runCli } from './run.ts'

// Entry point of the headless runner (`npm run crawl`, the `crawlboard` bin).
process.exitCode = await runCli(process.argv.slice(2))
