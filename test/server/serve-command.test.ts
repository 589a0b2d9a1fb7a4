import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseServeArgs } from '../../electron/server/serve-args.ts'

/** `npm run serve` as a process: node runs electron/server/main.ts directly (type stripping). */

const MAIN = join(import.meta.dirname, '..', '..', 'electron', 'server', 'main.ts')
let tmp: string

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'crawlboard-serve-'))
  await writeFile(join(tmp, 'index.html'), '<!doctype html><title>built</title>')
})
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true })
})

function serve(args: readonly string[]) {
  const child = spawn(process.execPath, ['--no-warnings', MAIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
  return { child, exited, out: () => stdout, err: () => stderr }
}

async function waitFor(what: string, probe: () => string | null, child: ChildProcess, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = probe()
    if (value !== null) return value
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe('npm run serve', () => {
  it('prints the URL with its token, serves the build, and exits cleanly on SIGTERM', async () => {
    const s = serve(['--renderer-dir', tmp, '--data-dir', join(tmp, 'data')])
    try {
      const url = await waitFor(
        'URL',
        () => /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/.exec(s.out())?.[0] ?? null,
        s.child
      )
      const res = await fetch(url)
      expect(res.status).toBe(200)
      expect(await res.text()).toContain('<title>built</title>')
      expect((await fetch(url.replace(/\?token=.*/, ''))).status).toBe(403)
      s.child.kill('SIGTERM')
      expect(await s.exited).toBe(0)
      expect(s.out()).toContain('Stopping')
      expect(s.err()).toBe('')
    } finally {
      if (s.child.exitCode === null) s.child.kill('SIGKILL')
    }
  })

  it('says to run the build when there is nothing to serve', async () => {
    const s = serve(['--renderer-dir', join(tmp, 'missing')])
    expect(await s.exited).toBe(1)
    expect(s.err()).toContain('run `npm run build` first')
  })

  it('explains a bad option', async () => {
    const s = serve(['--port', 'eighty'])
    expect(await s.exited).toBe(2)
    expect(s.err()).toContain('--port must be 0–65535, got "eighty"')
  })
})

describe('parseServeArgs', () => {
  const root = '/repo'
  it.each([
    { argv: [], expected: { port: 0, rendererDir: '/repo/out/renderer' } },
    { argv: ['--port', '8080'], expected: { port: 8080 } },
    { argv: ['--port=9000', '--data-dir=/d'], expected: { port: 9000, dataDir: '/d' } },
    { argv: ['--renderer-dir', '/r'], expected: { rendererDir: '/r' } }
  ])('$argv', ({ argv, expected }) => {
    const command = parseServeArgs(argv, { repoRoot: root })
    expect(command.kind).toBe('serve')
    if (command.kind === 'serve') expect(command.options).toMatchObject(expected)
  })

  it('defaults the data directory to ~/.crawlboard', () => {
    const command = parseServeArgs([], { repoRoot: root })
    expect(command.kind === 'serve' && command.options.dataDir.endsWith('.crawlboard')).toBe(true)
  })

  it.each([
    [['--port'], '--port needs a value'],
    [['--port', '70000'], '--port must be 0–65535, got "70000"'],
    [['--open'], 'unknown option "--open"']
  ])('%j → %s', (argv, message) => {
    expect(() => parseServeArgs(argv, { repoRoot: root })).toThrow(message)
  })

  it('shows help', () => {
    expect(parseServeArgs(['-h'], { repoRoot: root })).toEqual({ kind: 'help' })
  })
})
