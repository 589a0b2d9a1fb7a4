import type { RequestResult } from '../../../shared/result.ts'
import { syntheticResults } from '../../helpers/store-results.ts'

/**
 * Results whose titles, URLs and error messages hold strings that trip up a trigram index, among
 * ordinary ones, and needles to search them for (search.test.ts). fixtures/schema-6.db holds
 * fixture(600) as schema version 6 wrote it (migrate-search.test.ts).
 */

export const TRICKY_TITLES = [
  'Prix 100% garanti',
  'snake_case_title',
  'back\\slash\\path',
  'He said "quoted"',
  "it's an apostrophe",
  'ÉCOLE normale',
  'école primaire',
  'Straße und STRASSE',
  'İstanbul guide',
  'istanbul lower',
  '日本語のページ',
  'emoji 😀 inside',
  'Temperature in \u212Aelvin',
  'MiXeD CaSe TiTlE',
  'tab\tand  double  space',
  'ab'
]

export const NEEDLES = [
  'a', 'É', 'é', 'Ab', 'ab', '%', '_', '\\', '"', "'", '100%', '0%', 'e_c', 'snake_case', 'SLASH\\P',
  '"quoted"', 'école', 'ÉCOLE', 'cole', 'COLE', 'straße', 'STRASSE', 'strasse', 'İstanbul', 'istanbul',
  'stanbul', '日本語', '本語', '😀', 'ji 😀 in', 'kelvin', '\u212Aelvin', 'mixed case', 'TITLE',
  'and  double', 'h1.test/p', 'HTTP 503', 'no headers in', 'TIMEOUT', '&r=1', 'p/1', '/p/12?',
  'zzz-nothing', 'Page 3', 'e 3 on h'
] // prettier-ignore

/** Results whose titles, URLs and error messages hold the tricky strings, among ordinary ones. */
export function fixture(n: number, from = 0): RequestResult[] {
  return syntheticResults(from + n, 3)
    .slice(from)
    .map((r, i) => {
      const k = from + i
      const tricky = TRICKY_TITLES[k % TRICKY_TITLES.length] as string
      if (k % 3 === 0) return { ...r, title: tricky }
      if (k % 7 === 1) return { ...r, url: `${r.url}&t=${encodeURIComponent(tricky)}`, finalUrl: r.url }
      if (k % 11 === 2 && r.error)
        return { ...r, error: { ...r.error, message: `${r.error.message}: ${tricky}` } }
      return r
    })
}
