import { describe, expect, it } from 'vitest'
import { refusedByFence } from '../helpers/lint-fence.ts'

/** Spider code is plain Node like the engine: it runs in the app, the browser host and the runner. */
describe('electron/main/spider import fence', () => {
  it.each([
    "import { app } from 'electron'",
    "import { net } from 'electron/main'",
    "import React from 'react'",
    "import { x } from '../service/backend.ts'",
    "import { x } from '../store/index.ts'",
    "import { x } from '../../../renderer/src/main.tsx'",
    "const e = require('electron')"
  ])('refuses %s', async (code) => {
    expect(await refusedByFence('electron/main/spider/fence.ts', code)).toBe(true)
  })

  it.each([
    "import { Agent } from 'undici'",
    "import { createServer } from 'node:http'",
    "import robotsParser from 'robots-parser'",
    "import { x } from '../engine/classify-error.ts'",
    "import { x } from '../../../shared/errors.ts'",
    "import { x } from './robots.ts'"
  ])('allows %s', async (code) => {
    expect(await refusedByFence('electron/main/spider/fence.ts', code)).toBe(false)
  })
})
