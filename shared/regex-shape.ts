/**
 * A quick look at a regex source's structure, for the two things scope patterns need to know before
 * running against every URL of a crawl (JavaScript regexes backtrack, and cannot be interrupted):
 *
 * - nestedQuantifier: a repeated group that itself contains an unbounded repeat, `(a+)+` or
 *   `(\w*\/)*`. This is the shape behind exponential ("catastrophic") backtracking; no input length
 *   cap helps with it, since 30 characters can take minutes.
 * - topLevelAlternation: a `|` outside any group, which makes prefix rewrites unsafe.
 *
 * Not a full parser: it tracks escapes, character classes and group nesting, which is enough to
 * find these shapes in valid sources (it runs after `new RegExp` accepted the source).
 */

export interface RegexShape {
  readonly nestedQuantifier: boolean
  readonly topLevelAlternation: boolean
}

/** `{2,}` repeats without bound; `{2}` and `{2,5}` do not. */
const OPEN_BRACE = /^\{\d+,\}/

export function regexShape(source: string): RegexShape {
  // One frame per open group: does anything inside it repeat without bound?
  const frames: boolean[] = [false]
  let nested = false
  let alternation = false
  let i = 0
  /** After an atom ending at i: an unbounded quantifier follows it. */
  const unboundedAt = (at: number) =>
    source[at] === '*' || source[at] === '+' || OPEN_BRACE.test(source.slice(at, at + 12))
  while (i < source.length) {
    const ch = source[i]
    if (ch === '\\') {
      i += 2
    } else if (ch === '[') {
      // Skip the class: `]` right after `[` or `[^` closes it in JavaScript (empty class).
      i++
      if (source[i] === '^') i++
      while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1
      i++
    } else if (ch === '(') {
      frames.push(false)
      i++
      continue
    } else if (ch === ')') {
      const inner = frames.pop() ?? false
      i++
      if (inner && unboundedAt(i)) nested = true
      // A group containing an unbounded repeat makes its parent contain one too.
      if (inner) frames[frames.length - 1] = true
    } else {
      if (ch === '|' && frames.length === 1) alternation = true
      i++
    }
    if (unboundedAt(i)) frames[frames.length - 1] = true
  }
  return { nestedQuantifier: nested, topLevelAlternation: alternation }
}
