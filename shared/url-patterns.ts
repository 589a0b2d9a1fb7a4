import { regexShape } from './regex-shape.ts'

/**
 * Scope patterns (include/exclude regex sources) compiled once, every invalid one named. Lives in
 * shared/ so the run config validates patterns where it is parsed (renderer, main, runner) with
 * exactly the rules the spider's scope uses.
 */

export interface PatternError {
  readonly source: string
  readonly message: string
}

export interface CompiledPattern {
  readonly source: string
  readonly regex: RegExp
}

export interface CompiledPatterns {
  readonly patterns: readonly CompiledPattern[]
  readonly errors: readonly PatternError[]
  /** Valid but risky sources (nested repeats); they are still compiled and used. */
  readonly warnings: readonly PatternError[]
}

/** V8 says "Invalid regular expression: /(/: Unterminated group"; keep the part after the pattern. */
const V8_PREFIX = /^Invalid regular expression: \/[\s\S]*\/[a-z]*: /

/**
 * Compiles every source, collecting every invalid one (so a form can flag them all at once).
 * `label` names the list in messages ("Include pattern …").
 */
export function compilePatterns(sources: readonly string[], label = 'Pattern'): CompiledPatterns {
  const patterns: CompiledPattern[] = []
  const errors: PatternError[] = []
  const warnings: PatternError[] = []
  for (const source of sources) {
    if (source === '') {
      errors.push({ source, message: `${label} is empty: it would match every URL; remove it.` })
      continue
    }
    try {
      new RegExp(source)
    } catch (error) {
      const detail = error instanceof Error ? error.message.replace(V8_PREFIX, '') : String(error)
      errors.push({
        source,
        message: `${label} ${JSON.stringify(source)} is not a valid regular expression: ${detail}.`
      })
      continue
    }
    const shape = regexShape(source)
    if (shape.nestedQuantifier) {
      warnings.push({
        source,
        message: `${label} ${JSON.stringify(source)} repeats a group that itself repeats, like (a+)+: it can take minutes on some URLs; rewrite it without the outer repeat.`
      })
    }
    const anchorable = /^\.[*+]/.test(source) && !shape.topLevelAlternation
    patterns.push({ source, regex: new RegExp(anchorable ? `^${source}` : source) })
  }
  return { patterns, errors, warnings }
}
