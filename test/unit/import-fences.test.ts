import { describe, expect, it } from 'vitest'
import { refusedByFence } from '../helpers/lint-fence.ts'

/**
 * The architecture's "who may import whom" table, checked against the real lint config: each
 * forbidden import in each folder must be refused, and the allowed ones must pass.
 */
const refused = refusedByFence

describe('import fences', () => {
  it.each([
    ['shared/fence.ts', "import fs from 'node:fs'"],
    ['shared/fence.ts', "import { request } from 'undici'"],
    ['shared/fence.ts', "import { app } from 'electron'"],
    ['shared/fence.ts', "import React from 'react'"],
    ['shared/fence.ts', "import { x } from '../electron/main/engine/engine.ts'"],
    ['shared/fence.ts', "import { x } from '../renderer/src/app/app.tsx'"],
    ['electron/main/engine/fence.ts', "import { app } from 'electron'"],
    ['electron/main/engine/fence.ts', "import { x } from '../service/backend.ts'"],
    ['electron/main/engine/fence.ts', "import { x } from '../../../renderer/src/main.tsx'"],
    ['electron/main/service/fence.ts', "import { app } from 'electron'"],
    ['electron/server/fence.ts', "import { app } from 'electron'"],
    ['electron/cli/fence.ts', "import { app } from 'electron'"],
    ['electron/preload/fence.ts', "import fs from 'node:fs'"],
    ['electron/preload/fence.ts', "import { x } from '../main/engine/engine.ts'"],
    ['renderer/src/fence.ts', "import fs from 'node:fs'"],
    ['renderer/src/fence.ts', "import { request } from 'undici'"],
    ['renderer/src/fence.ts', "import { ipcRenderer } from 'electron'"],
    ['renderer/src/fence.ts', "import { x } from '../../electron/main/engine/engine.ts'"],
    ['test/unit/fence.ts', "import { app } from 'electron'"],
    ['test/unit/fence.ts', "const e = require('electron')"]
  ])('%s refuses %s', async (file, code) => {
    expect(await refused(file, code)).toBe(true)
  })

  it.each([
    ['shared/fence.ts', "import { z } from 'zod'"],
    ['electron/main/engine/fence.ts', "import { Agent } from 'undici'"],
    ['electron/main/engine/fence.ts', "import { x } from '../../../shared/config.ts'"],
    ['electron/main/engine/fence.ts', "import { x } from './engine.ts'"],
    ['electron/main/engine/fence.ts', "import { x } from '../spider/frontier.ts'"],
    ['electron/main/fence.ts', "import { app } from 'electron'"],
    ['electron/cli/fence.ts', "import { x } from '../main/engine/engine.ts'"],
    ['electron/preload/fence.ts', "import { contextBridge } from 'electron'"],
    ['renderer/src/fence.ts', "import { create } from 'zustand'"],
    ['renderer/src/fence.ts', "import { x } from '../../shared/api.ts'"],
    ['test/unit/fence.ts', "import { x } from '../../electron/main/engine/engine.ts'"]
  ])('%s allows %s', async (file, code) => {
    expect(await refused(file, code)).toBe(false)
  })
})
