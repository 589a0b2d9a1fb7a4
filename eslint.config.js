// @ts-check
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'

/**
 * Import fences (see the architecture's "who may import whom"): the folder says where code runs,
 * and a wrong import fails here as well as in the per-root type-check.
 */
const nodeOnly = {
  group: ['node:*', 'undici', 'undici/*'],
  message: 'Node and undici are main-process only.'
}
const electronModule = {
  regex: '^electron(/|$)',
  message: "Only electron/main and the preload may import 'electron'."
}
const reactModules = {
  group: ['react', 'react-dom', 'react/*', 'react-dom/*', 'zustand', 'zustand/*', 'recharts'],
  message: 'UI libraries belong to renderer/.'
}
const intoRenderer = { regex: '(^|/)renderer/', message: 'Nothing outside renderer/ imports the renderer.' }
const intoElectron = { regex: '(^|/)electron/', message: 'Reach main only through the CrawlerApi contract.' }
/**
 * Raw IPC lives in two modules (as GitHub Desktop does it): electron/main/ipc.ts registers every
 * handler and checks every sender; electron/preload/bridge.ts is the only caller. The entry files
 * import ipcMain/ipcRenderer solely to inject them there.
 */
const rawIpcMessage =
  'Raw IPC is bound only in electron/main/ipc.ts and electron/preload/bridge.ts; add a contract method instead.'
const rawIpcImport = { name: 'electron', importNames: ['ipcMain', 'ipcRenderer'], message: rawIpcMessage }
const requireElectron = {
  selector: "CallExpression[callee.name='require'][arguments.0.value='electron']",
  message: "require('electron') downloads the Electron binary in tooling; inject fakes instead."
}
const preloadSeesShared = {
  regex: '^\\.\\./(main|core|server|cli)(/|$)',
  message: 'The preload sees only shared/.'
}

/**
 * Inside electron/core each folder may import shared/, itself and the folders listed here, so
 * imports run one way: api → run → engine → policy units (crawl, politeness) → shared; the
 * policy units never import the engine, and nothing imports upwards.
 */
const CORE_LAYERS = {
  api: ['run', 'engine', 'store', 'export', 'demo'],
  run: ['engine', 'store', 'export'],
  engine: ['crawl', 'politeness'],
  crawl: [],
  politeness: [],
  store: [],
  export: ['store'],
  demo: []
}
/** @param {string} folder @param {readonly string[]} allowed */
const coreLayer = (folder, allowed) => ({
  regex: allowed.length === 0 ? '^\\.\\./(?!\\.\\./)' : `^\\.\\./(?!\\.\\./|(${allowed.join('|')})/)`,
  message:
    allowed.length === 0
      ? `electron/core/${folder} may import shared/ and itself only.`
      : `electron/core/${folder} may import shared/, itself and ${allowed.join(', ')}: imports run one way.`
})
const outOfCore = {
  regex: '^\\.\\./\\.\\./(main|server|cli|preload)(/|$)',
  message: 'The core is used by the front ends, never the other way round.'
}
const coreEntryOnly = {
  regex: '(^|/)core/(?!index\\.ts$)',
  message: 'Use the core through its public entry, electron/core/index.ts.'
}
const intoMain = {
  regex: '^\\.\\./main(/|$)',
  message: 'The browser host and the runner never import electron/main.'
}
const mainSeesNoFrontEnd = {
  regex: '^\\.\\./(server|cli)(/|$)',
  message: 'electron/main does not import the browser host or the runner.'
}

export default tseslint.config(
  {
    ignores: ['node_modules/**', 'out/**', 'dist/**', 'release/**', 'test-results/**', 'playwright-report/**']
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname }
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      'no-restricted-syntax': ['error', requireElectron]
    }
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: globals.node
    }
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [nodeOnly, electronModule, reactModules, intoRenderer, intoElectron] }
      ]
    }
  },
  // electron/core: plain Node, never 'electron'; inside it, imports run one way (CORE_LAYERS).
  ...Object.entries(CORE_LAYERS).map(([folder, allowed]) => ({
    files: [`electron/core/${folder}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [electronModule, reactModules, intoRenderer, outOfCore, coreLayer(folder, allowed)] }
      ]
    }
  })),
  {
    files: ['electron/core/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [electronModule, reactModules, intoRenderer, outOfCore] }
      ]
    }
  },
  // Front ends use the core through its public entry; main alone may import 'electron'.
  {
    files: ['electron/main/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [rawIpcImport], patterns: [reactModules, intoRenderer, coreEntryOnly, mainSeesNoFrontEnd] }
      ]
    }
  },
  {
    // The composition root injects ipcMain into registerIpc.
    files: ['electron/main/index.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [reactModules, intoRenderer, coreEntryOnly, mainSeesNoFrontEnd] }
      ]
    }
  },
  {
    files: ['electron/server/**/*.ts', 'electron/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [rawIpcImport],
          patterns: [electronModule, reactModules, intoRenderer, coreEntryOnly, intoMain]
        }
      ]
    }
  },
  {
    files: ['electron/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          // The entry (index.ts) injects ipcRenderer into the bridge; see the override below.
          paths: [rawIpcImport],
          patterns: [nodeOnly, reactModules, intoRenderer, preloadSeesShared]
        }
      ]
    }
  },
  {
    files: ['electron/preload/index.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [nodeOnly, reactModules, intoRenderer, preloadSeesShared] }
      ]
    }
  },
  {
    files: ['electron/**/*.ts'],
    ignores: ['electron/main/ipc.ts', 'electron/preload/bridge.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        requireElectron,
        { selector: 'MemberExpression[object.name=/^ipc(Main|Renderer)$/]', message: rawIpcMessage },
        { selector: 'MemberExpression[property.name=/^ipc(Main|Renderer)$/]', message: rawIpcMessage }
      ]
    }
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: globals.browser },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', { patterns: [nodeOnly, electronModule, intoElectron] }]
    }
  },
  {
    files: ['test/**/*.ts', 'scripts/**/*'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [electronModule] }],
      '@typescript-eslint/no-non-null-assertion': 'off'
    }
  }
)
