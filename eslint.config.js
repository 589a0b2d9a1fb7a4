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
  message: "Only electron/main (outside engine/) and the preload may import 'electron'."
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
const preloadSeesShared = { regex: '^\\.\\./main', message: 'The preload sees only shared/.' }

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
  {
    files: ['electron/main/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            electronModule,
            reactModules,
            intoRenderer,
            // The engine is plain Node: it may import shared/, itself and the spider's building blocks
            // (plain Node too), never the rest of main.
            {
              regex: '^\\.\\./(?!\\.\\./|spider/)',
              message: 'The engine may import shared/ and spider/, not the rest of electron/main.'
            }
          ]
        }
      ]
    }
  },
  {
    files: ['electron/main/**/*.ts', 'electron/server/**/*.ts', 'electron/cli/**/*.ts'],
    ignores: ['electron/main/engine/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [rawIpcImport], patterns: [reactModules, intoRenderer] }]
    }
  },
  {
    // The composition root injects ipcMain into registerIpc.
    files: ['electron/main/index.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [reactModules, intoRenderer] }] }
  },
  {
    files: [
      'electron/server/**/*.ts',
      'electron/cli/**/*.ts',
      'electron/main/demo/**/*.ts',
      'electron/main/service/**/*.ts',
      'electron/main/store/**/*.ts',
      'electron/main/export/**/*.ts'
    ],
    rules: { 'no-restricted-imports': ['error', { patterns: [electronModule, reactModules, intoRenderer] }] }
  },
  {
    // Spider mode (link following, robots.txt, pacing) is plain Node like the engine, which will wire it
    // in: it may import shared/, the engine's plumbing and itself, never 'electron' or the rest of main.
    files: ['electron/main/spider/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            electronModule,
            reactModules,
            intoRenderer,
            {
              regex: '^\\.\\./(?!\\.\\./|engine/)',
              message: 'Spider code may import shared/, the engine and itself, not the rest of electron/main.'
            }
          ]
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
