import { defaultKeymap, history, historyKeymap } from '@codemirror/commands'
import { Compartment, EditorState, type Text } from '@codemirror/state'
import {
  EditorView,
  drawSelection,
  highlightActiveLine,
  keymap,
  lineNumbers,
  placeholder as placeholderText
} from '@codemirror/view'
import { useEffect, useRef, type JSX } from 'react'

/**
 * The URL list editor: CodeMirror 6, which draws only the lines in view, so a 100,000-line list
 * edits as fast as a short one (a textarea re-lays out all of it on every keystroke). Plain text,
 * one URL a line, with line numbers to match the invalid-line preview. Tab leaves the editor (it
 * does not indent), so keyboard users are not trapped in it.
 */

export interface UrlEditorProps {
  readonly doc: Text
  readonly onDoc: (doc: Text) => void
  /** Id of the element that names the editor. */
  readonly labelledBy: string
  readonly describedBy: string
  readonly placeholder: string
}

const theme = EditorView.theme({
  '&': { height: '100%', fontSize: '12.5px', color: 'var(--fg)' },
  '.cm-scroller': { fontFamily: 'var(--font-mono)', lineHeight: '1.5' },
  '.cm-content': { caretColor: 'var(--fg)' },
  '.cm-cursor': { borderLeftColor: 'var(--fg)' },
  '.cm-activeLine': { backgroundColor: 'color-mix(in srgb, var(--focus) 7%, transparent)' },
  '.cm-gutters': {
    background: 'transparent',
    color: 'var(--fg-muted)',
    border: 'none',
    borderRight: '1px solid var(--border)'
  },
  '.cm-placeholder': { color: 'var(--fg-muted)', whiteSpace: 'pre-wrap' }
})

export function UrlEditor(props: UrlEditorProps): JSX.Element {
  const host = useRef<HTMLDivElement>(null)
  const view = useRef<EditorView | null>(null)
  const onDoc = useRef(props.onDoc)
  const placeholderSlot = useRef(new Compartment())
  const initial = useRef({ doc: props.doc, placeholder: props.placeholder, labelledBy: props.labelledBy })
  const describedBy = useRef(props.describedBy)

  useEffect(() => {
    onDoc.current = props.onDoc
  })

  useEffect(() => {
    const parent = host.current
    if (!parent) return
    const first = initial.current
    const editor = new EditorView({
      parent,
      state: EditorState.create({
        doc: first.doc,
        extensions: [
          lineNumbers(),
          history(),
          drawSelection(),
          highlightActiveLine(),
          keymap.of([...defaultKeymap, ...historyKeymap]),
          placeholderSlot.current.of(placeholderText(first.placeholder)),
          EditorView.contentAttributes.of({
            'aria-labelledby': first.labelledBy,
            'aria-describedby': describedBy.current,
            spellcheck: 'false',
            autocorrect: 'off',
            autocapitalize: 'off'
          }),
          // A dropped file goes to Setup's import (which checks it is text), not into the document.
          EditorView.domEventHandlers({
            drop: (event) => event.dataTransfer?.types.includes('Files') ?? false,
            dragover: (event) => event.dataTransfer?.types.includes('Files') ?? false
          }),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) onDoc.current(update.state.doc)
          }),
          theme
        ]
      })
    })
    view.current = editor
    return () => {
      editor.destroy()
      view.current = null
    }
  }, [])

  // A list set from outside (import, demo URLs, Clear, a late load) replaces the document.
  useEffect(() => {
    const editor = view.current
    if (!editor || editor.state.doc === props.doc || editor.state.doc.eq(props.doc)) return
    editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: props.doc } })
  }, [props.doc])

  useEffect(() => {
    view.current?.dispatch({
      effects: placeholderSlot.current.reconfigure(placeholderText(props.placeholder))
    })
  }, [props.placeholder])

  return <div ref={host} className="setup-urls__editor" />
}
