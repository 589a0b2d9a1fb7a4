import { describe, expect, it } from 'vitest'
import { importCycles, relativeImports, sourceFiles, type SourceFile } from '../helpers/source-files.ts'

/**
 * What the architecture promises of the code as a whole: imports run one way (no cycle anywhere
 * in the repository), electron/main stays the thin Electron layer, and a file over 400 lines says
 * why on its first line.
 */

const files = sourceFiles()
const lines = (f: SourceFile): number => f.text.split('\n').length - (f.text.endsWith('\n') ? 1 : 0)

/** The first line of a long file: `// Over 400 lines: <why>`. */
const LONG_FILE_REASON = /^\/\/ Over 400 lines: \S.{10,}/

describe('the repository', () => {
  it('is read in full by the checks below', () => {
    const paths = new Set(files.map((f) => f.path))
    for (const expected of [
      'electron/core/index.ts',
      'electron/main/index.ts',
      'electron/cli/run.ts',
      'shared/api.ts',
      'renderer/src/app/app.tsx'
    ]) {
      expect(paths).toContain(expected)
    }
    expect(files.length).toBeGreaterThan(300)
  })

  it('has no import cycle', () => {
    expect(importCycles(files)).toEqual([])
  })

  it('finds a cycle when there is one (the check itself)', () => {
    const fake = (path: string, imports: string[]): SourceFile => ({
      path,
      text: imports.map((i) => `import { x } from '${i}'`).join('\n')
    })
    expect(
      importCycles([
        fake('a/one.ts', ['./two.ts']),
        fake('a/two.ts', ['../b/three.ts']),
        fake('b/three.ts', ['../a/one.ts']),
        fake('b/four.ts', ['./three.ts'])
      ])
    ).toEqual([['a/one.ts', 'a/two.ts', 'b/three.ts']])
    expect(relativeImports(fake('a/one.ts', ['./two.ts', '../c/x.tsx']))).toEqual(['a/two.ts', 'c/x.tsx'])
  })

  it('keeps electron/main to what needs Electron (under ~1,000 lines)', () => {
    const main = files.filter((f) => f.path.startsWith('electron/main/'))
    const total = main.reduce((n, f) => n + lines(f), 0)
    expect(total).toBeLessThan(1_000)
    // Everything there imports 'electron' or is wired by the file that does; none of it is plain Node
    // logic the runner or the browser host would also need.
    for (const f of main) expect(f.text, f.path).not.toMatch(/from '\.\.\/core\/(?!index\.ts')/)
  })

  it('gives every file over 400 lines a one-line reason at its top', () => {
    const long = files.filter((f) => lines(f) > 400 && !LONG_FILE_REASON.test(f.text))
    expect(long.map((f) => `${f.path} (${lines(f)} lines)`)).toEqual([])
  })
})
