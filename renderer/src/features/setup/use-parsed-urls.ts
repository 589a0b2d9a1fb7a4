import { useEffect, useState } from 'react'
import { parseUrlList, type ParsedUrlList } from '../../../../shared/url-list.ts'

export interface ParsedState {
  /** The parse of `text` as of the last debounce; null before the first. */
  readonly parsed: ParsedUrlList | null
  /** The text that `parsed` describes. */
  readonly parsedText: string | null
}

/**
 * Parses the URL list a moment after typing stops: a keystroke in a 100,000-line list must not
 * re-parse it. Longer lists wait longer (a million lines take about a second to parse).
 */
export function useParsedUrls(text: string): ParsedState & { readonly pending: boolean } {
  const [state, setState] = useState<ParsedState>({ parsed: null, parsedText: null })
  useEffect(() => {
    const delay = text.length < 50_000 ? 150 : text.length < 2_000_000 ? 400 : 800
    const timer = setTimeout(() => {
      setState({ parsed: parseUrlList(text), parsedText: text })
    }, delay)
    return () => {
      clearTimeout(timer)
    }
  }, [text])
  return { ...state, pending: state.parsedText !== text }
}
