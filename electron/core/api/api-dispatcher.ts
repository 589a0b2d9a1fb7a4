import type { z } from 'zod'
import { API_METHODS, ApiError, type ApiMethod } from '../../../shared/api.ts'
import type { WireError } from '../../../shared/ws-protocol.ts'
import type { ApiDispatcher, CrawlerBackend } from './backend.ts'

export type { WireError }

/**
 * The edge every transport goes through (ARCHITECTURE.md, "Validate at the edge"): a method name
 * and raw arguments from IPC or a WebSocket are checked against the contract's schemas before the
 * backend sees them. Refusals say which method, which argument, which field and why. Anything the
 * backend throws that is not an ApiError is a bug: it is logged once, here, and the caller gets a
 * plain INTERNAL error without a stack trace.
 */

export interface ApiDispatcherOptions {
  readonly log?: (message: string, error?: unknown) => void
}

/** Issues quoted in one refusal; the rest are counted. */
const ISSUES_QUOTED = 5
const MAX_MESSAGE_LENGTH = 2_000

export function createApiDispatcher(
  backend: CrawlerBackend,
  options: ApiDispatcherOptions = {}
): ApiDispatcher {
  const log =
    options.log ??
    ((message: string, error?: unknown) => {
      console.error(message, error)
    })
  return async (method, args) => {
    const name: unknown = method
    if (typeof name !== 'string' || !isApiMethod(name)) {
      const shown = typeof name === 'string' ? JSON.stringify(clip(name, 100)) : describeValue(name)
      throw new ApiError('BAD_REQUEST', `Unknown method ${shown}`)
    }
    const rawArgs: unknown = args
    if (!Array.isArray(rawArgs)) {
      throw new ApiError('BAD_REQUEST', `${name}: arguments must be an array, got ${describeValue(rawArgs)}`)
    }
    const parsed = API_METHODS[name].safeParse(rawArgs)
    if (!parsed.success)
      throw new ApiError('BAD_REQUEST', describeArgumentIssues(name, rawArgs, parsed.error))
    try {
      return await invoke(backend, name, parsed.data)
    } catch (error) {
      if (error instanceof ApiError) throw error
      log(`crawlboard: ${name} failed:`, error)
      throw new ApiError('INTERNAL', `${name} failed unexpectedly: ${firstLine(error)}`)
    }
  }
}

/** The serialisable form of any error, for a transport to send: never a stack trace. */
export function toWireError(error: unknown): WireError {
  if (error instanceof ApiError) return { code: error.code, message: clip(error.message) }
  return { code: 'INTERNAL', message: `Internal error: ${firstLine(error)}` }
}

export function isApiMethod(name: string): name is ApiMethod {
  // Own keys only: "constructor", "__proto__" or "toString" are not methods of the API.
  return Object.hasOwn(API_METHODS, name)
}

function invoke(backend: CrawlerBackend, method: ApiMethod, args: readonly unknown[]): Promise<unknown> {
  // The arguments were parsed against API_METHODS[method], the same contract CrawlerApi declares.
  const fn = backend[method] as (...a: unknown[]) => Promise<unknown>
  return fn.apply(backend, [...args])
}

/** "queryResults argument 1: offset: Too small: expected number to be >=0" */
export function describeArgumentIssues(
  method: ApiMethod,
  args: readonly unknown[],
  error: z.ZodError
): string {
  const issues = flattenUnion(error.issues, args.length)
  const lines = issues.slice(0, ISSUES_QUOTED).map((issue) => {
    const [position, ...field] = issue.path
    if (typeof position !== 'number') return arityMessage(method, args.length, issue)
    const where = field.length > 0 ? `${field.map(String).join('.')}: ` : ''
    return `${method} argument ${position + 1}: ${where}${issue.message}`
  })
  const more = issues.length > ISSUES_QUOTED ? ` (and ${issues.length - ISSUES_QUOTED} more)` : ''
  return clip(`${[...new Set(lines)].join('; ')}${more}`)
}

type Issue = z.ZodError['issues'][number]

/**
 * A union of tuples (getSnapshot: no argument, or one) reports one issue list per branch; the branch
 * that failed on a field, not on its length, is the one the caller meant.
 */
function flattenUnion(issues: readonly Issue[], argCount: number): Issue[] {
  return issues.flatMap((issue) => {
    if (issue.code !== 'invalid_union' || issue.path.length > 0) return [issue]
    const branches = issue.errors
    const fieldBranch = branches.find((b) => b.some((i) => i.path.length > 0))
    if (fieldBranch) return flattenUnion(fieldBranch, argCount)
    const counts = branches.flatMap((b) => b.map(arityBound)).filter((n): n is number => n !== null)
    const max = Math.max(...counts, 0)
    return [{ ...issue, message: `expected at most ${max} ${max === 1 ? 'argument' : 'arguments'}` }]
  })
}

function arityBound(issue: Issue): number | null {
  if (issue.code === 'too_big' || issue.code === 'too_small') {
    const bound: unknown = issue.code === 'too_big' ? issue.maximum : issue.minimum
    return typeof bound === 'number' ? bound : null
  }
  return null
}

function arityMessage(method: ApiMethod, got: number, issue: Issue): string {
  if (issue.code === 'too_big' || issue.code === 'too_small') {
    const n = arityBound(issue)
    if (n !== null) {
      const word = issue.code === 'too_big' ? 'at most' : 'at least'
      return `${method} takes ${word} ${n} ${n === 1 ? 'argument' : 'arguments'}, got ${got}`
    }
  }
  return `${method}: ${issue.message} (got ${got} ${got === 1 ? 'argument' : 'arguments'})`
}

function describeValue(value: unknown): string {
  if (value === null) return 'null'
  if (typeof value === 'object') return 'an object'
  return typeof value
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : typeof error === 'string' ? error : 'unknown error'
  return clip(text.split('\n', 1)[0] ?? '', 300)
}

function clip(text: string, max = MAX_MESSAGE_LENGTH): string {
  return text.length > max ? `${text.slice(0, max)}…` : text
}
