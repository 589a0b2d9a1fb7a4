import { describe, expect, it } from 'vitest'
import { refusedByFence } from '../helpers/lint-fence.ts'

/**
 * The architecture's "who may import whom" table, checked against the real lint config: each
 * forbidden import in each folder must be refused, and the allowed ones must pass.
 */
const refused = refusedByFence

/** Every core folder, for the rules that hold in all of them. */
const CORE_FOLDERS = ['api', 'run', 'engine', 'crawl', 'politeness', 'store', 'export', 'demo'] as const

describe('import fences', () => {
  it.each([
    ['shared/fence.ts', "import fs from 'node:fs'"],
    ['shared/fence.ts', "import { request } from 'undici'"],
    ['shared/fence.ts', "import { app } from 'electron'"],
    ['shared/fence.ts', "import React from 'react'"],
    ['shared/fence.ts', "import { x } from '../electron/core/engine/engine.ts'"],
    ['shared/fence.ts', "import { x } from '../renderer/src/app/app.tsx'"],
    ['electron/preload/fence.ts', "import fs from 'node:fs'"],
    ['electron/preload/fence.ts', "import { x } from '../main/window.ts'"],
    ['electron/preload/fence.ts', "import { x } from '../core/index.ts'"],
    ['renderer/src/fence.ts', "import fs from 'node:fs'"],
    ['renderer/src/fence.ts', "import { request } from 'undici'"],
    ['renderer/src/fence.ts', "import { ipcRenderer } from 'electron'"],
    ['renderer/src/fence.ts', "import { x } from '../../electron/core/engine/engine.ts'"],
    ['test/core/engine/fence.ts', "import { app } from 'electron'"],
    ['test/core/engine/fence.ts', "const e = require('electron')"]
  ])('%s refuses %s', async (file, code) => {
    expect(await refused(file, code)).toBe(true)
  })

  describe('electron/core is plain Node', () => {
    it.each(
      CORE_FOLDERS.flatMap((folder) =>
        [
          "import { app } from 'electron'",
          "import { net } from 'electron/main'",
          "const e = require('electron')",
          "import React from 'react'",
          "import { create } from 'zustand'",
          "import { x } from '../../main/window.ts'",
          "import { x } from '../../server/browser-host.ts'",
          "import { x } from '../../cli/run.ts'",
          "import { x } from '../../../renderer/src/main.tsx'",
          // Inside the core nothing reaches back up to its own entry.
          "import { x } from '../index.ts'"
        ].map((code) => [`electron/core/${folder}/fence.ts`, code])
      )
    )('%s refuses %s', async (file, code) => {
      expect(await refused(file, code)).toBe(true)
    })

    it.each(
      CORE_FOLDERS.flatMap((folder) =>
        [
          "import { Agent } from 'undici'",
          "import { createServer } from 'node:http'",
          "import { x } from '../../../shared/config.ts'",
          "import { x } from './sibling.ts'"
        ].map((code) => [`electron/core/${folder}/fence.ts`, code])
      )
    )('%s allows %s', async (file, code) => {
      expect(await refused(file, code)).toBe(false)
    })
  })

  describe('inside the core, imports run one way', () => {
    it.each([
      // Policy units never import the engine (the engine calls them), nor anything above it.
      ['crawl', '../engine/classify-error.ts'],
      ['crawl', '../politeness/host-pacing.ts'],
      ['crawl', '../run/live-run.ts'],
      ['politeness', '../engine/engine.ts'],
      ['politeness', '../crawl/url-frontier.ts'],
      // The engine never reaches up into runs, the store, exports, the API or the demo.
      ['engine', '../run/registry.ts'],
      ['engine', '../store/index.ts'],
      ['engine', '../api/backend.ts'],
      ['engine', '../demo/demo-target.ts'],
      // The run layer is below the API.
      ['run', '../api/backend.ts'],
      ['run', '../demo/demo-target.ts'],
      // The store knows nothing of runs, exports or fetching.
      ['store', '../run/live-run.ts'],
      ['store', '../export/index.ts'],
      ['store', '../engine/engine.ts'],
      ['export', '../run/live-run.ts'],
      ['export', '../engine/engine.ts'],
      ['demo', '../engine/engine.ts'],
      ['demo', '../store/index.ts']
    ])('electron/core/%s refuses %s', async (folder, target) => {
      expect(await refused(`electron/core/${folder}/fence.ts`, `import { x } from '${target}'`)).toBe(true)
    })

    it.each([
      ['engine', '../crawl/url-frontier.ts'],
      ['engine', '../politeness/adaptive-limit.ts'],
      ['run', '../engine/engine.ts'],
      ['run', '../store/index.ts'],
      ['run', '../export/index.ts'],
      ['export', '../store/index.ts'],
      ['api', '../run/registry.ts'],
      ['api', '../demo/demo-target.ts'],
      ['api', '../store/index.ts']
    ])('electron/core/%s allows %s', async (folder, target) => {
      expect(await refused(`electron/core/${folder}/fence.ts`, `import { x } from '${target}'`)).toBe(false)
    })
  })

  describe('front ends use the core through its public entry', () => {
    it.each([
      ['electron/main/fence.ts', "import { x } from '../core/engine/engine.ts'"],
      ['electron/main/fence.ts', "import { x } from '../core/api/index.ts'"],
      ['electron/main/fence.ts', "import { x } from '../server/browser-host.ts'"],
      ['electron/main/fence.ts', "import { x } from '../cli/run.ts'"],
      ['electron/server/fence.ts', "import { app } from 'electron'"],
      ['electron/server/fence.ts', "import { x } from '../core/store/index.ts'"],
      ['electron/server/fence.ts', "import { x } from '../main/window.ts'"],
      ['electron/cli/fence.ts', "import { app } from 'electron'"],
      ['electron/cli/fence.ts', "import { x } from '../core/run/lifecycle.ts'"],
      ['electron/cli/fence.ts', "import { x } from '../main/ipc.ts'"]
    ])('%s refuses %s', async (file, code) => {
      expect(await refused(file, code)).toBe(true)
    })

    it.each([
      ['electron/main/fence.ts', "import { app } from 'electron'"],
      ['electron/main/fence.ts', "import { x } from '../core/index.ts'"],
      ['electron/server/fence.ts', "import { x } from '../core/index.ts'"],
      ['electron/server/fence.ts', "import { WebSocketServer } from 'ws'"],
      ['electron/cli/fence.ts', "import { x } from '../core/index.ts'"],
      ['electron/cli/fence.ts', "import { parseArgs } from 'node:util'"]
    ])('%s allows %s', async (file, code) => {
      expect(await refused(file, code)).toBe(false)
    })
  })

  it.each([
    ['shared/fence.ts', "import { z } from 'zod'"],
    ['electron/preload/fence.ts', "import { contextBridge } from 'electron'"],
    ['electron/preload/fence.ts', "import { x } from '../../shared/api.ts'"],
    ['renderer/src/fence.ts', "import { create } from 'zustand'"],
    ['renderer/src/fence.ts', "import { x } from '../../shared/api.ts'"],
    ['test/core/engine/fence.ts', "import { x } from '../../../electron/core/engine/engine.ts'"]
  ])('%s allows %s', async (file, code) => {
    expect(await refused(file, code)).toBe(false)
  })
})
