import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'

/**
 * The repository's own code, read as text: every TypeScript and JavaScript file under the source
 * and test folders, with its relative imports resolved to files. What the repository-wide checks
 * (no import cycle, file sizes) walk.
 */

export const CODE_ROOTS = ['electron', 'shared', 'renderer', 'test', 'scripts', 'bin'] as const
const CODE_FILE = /\.(ts|tsx|mts|mjs|js|cjs)$/
const SKIPPED_DIRS = new Set(['node_modules', 'out', 'dist', 'release', 'test-results'])

export interface SourceFile {
  /** Relative to the repository root, with forward slashes. */
  readonly path: string
  readonly text: string
}

export function sourceFiles(root = process.cwd()): SourceFile[] {
  const files: SourceFile[] = []
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      if (SKIPPED_DIRS.has(name)) continue
      const full = join(dir, name)
      if (statSync(full).isDirectory()) walk(full)
      else if (CODE_FILE.test(name)) {
        files.push({ path: relative(root, full).split('\\').join('/'), text: readFileSync(full, 'utf8') })
      }
    }
  }
  for (const top of CODE_ROOTS) {
    try {
      walk(join(root, top))
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    }
  }
  return files
}

/** `import … from './x.ts'`, `export … from`, `import('./x.ts')`, side-effect imports. */
const SPECIFIER = /(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]+)\1/g

/** The files `file` imports by relative path (type-only imports count: they are dependencies too). */
export function relativeImports(file: SourceFile, root = process.cwd()): string[] {
  const found: string[] = []
  for (const match of file.text.matchAll(SPECIFIER)) {
    const spec = match[2]
    if (spec === undefined) continue
    const target = resolve(root, dirname(file.path), spec)
    found.push(relative(root, target).split('\\').join('/'))
  }
  return found
}

/** Every cycle of the import graph, each as the files around it (Tarjan's strongly connected parts). */
export function importCycles(files: readonly SourceFile[]): string[][] {
  const graph = new Map(files.map((f) => [f.path, relativeImports(f).filter((t) => t !== f.path)]))
  let index = 0
  const indexOf = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const cycles: string[][] = []
  const visit = (node: string): void => {
    indexOf.set(node, index)
    low.set(node, index)
    index++
    stack.push(node)
    onStack.add(node)
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue
      if (!indexOf.has(next)) {
        visit(next)
        low.set(node, Math.min(low.get(node) ?? 0, low.get(next) ?? 0))
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node) ?? 0, indexOf.get(next) ?? 0))
      }
    }
    if (low.get(node) !== indexOf.get(node)) return
    const part: string[] = []
    for (;;) {
      const top = stack.pop()
      if (top === undefined) break
      onStack.delete(top)
      part.push(top)
      if (top === node) break
    }
    if (part.length > 1) cycles.push(part.sort())
  }
  for (const node of graph.keys()) if (!indexOf.has(node)) visit(node)
  return cycles
}
