import { afterEach } from 'vitest'
import { startSite, type TestSite } from './spider-site.ts'

/**
 * What a test opens (loopback sites, servers, temporary folders) is closed after it, in the order
 * it was opened, whether the test passed or not. Call once at the top of a test file.
 */
export interface Cleanup {
  /** startSite, closed after the test. */
  readonly site: (...args: Parameters<typeof startSite>) => Promise<TestSite>
  /** Anything else to close after the test. */
  readonly defer: (close: () => Promise<void>) => void
}

export function closeAfterEach(): Cleanup {
  const closers: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const close of closers.splice(0)) await close()
  })
  return {
    site: async (...args) => {
      const s = await startSite(...args)
      closers.push(() => s.close())
      return s
    },
    defer: (close) => {
      closers.push(close)
    }
  }
}
