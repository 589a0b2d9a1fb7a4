import { describe, expect, it } from 'vitest'
import { refusedByFence } from '../helpers/lint-fence.ts'

/** The export module is plain Node, like the store: the app, the browser host and the runner share it. */
describe('electron/main/export import fence', () => {
  it.each([
    "import { app } from 'electron'",
    "import { dialog } from 'electron/main'",
    "import React from 'react'",
    "import { x } from '../../../renderer/src/main.tsx'",
    "const e = require('electron')"
  ])('refuses %s', async (code) => {
    expect(await refusedByFence('electron/main/export/fence.ts', code)).toBe(true)
  })

  it.each([
    "import { Writable } from 'node:stream'",
    "import { x } from '../store/index.ts'",
    "import { x } from '../../../shared/result-rows.ts'"
  ])('allows %s', async (code) => {
    expect(await refusedByFence('electron/main/export/fence.ts', code)).toBe(false)
  })
})
