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
import { memo, useEffect, useRef, type JSX } from 'react'
import { urlDraftActions, useUrlDraftStore } from '../../stores/url-draft-store.ts'

/**
 * The URL list editor: CodeMirror 6, which draws only the lines in view, so a 100,000-line list
 * edits as fast as a short one (a textarea re-lays out all of it on every keystroke). Plain text,
 * one URL a line, with line numbers to match the invalid-line preview. Tab leaves the editor (it
 * does not indent), so keyboard users are not trapped in it.
 */

export interface UrlEditorProps {
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

/**
 * The editor and the draft store share one document: an edit here is the store's new document
 * (no copy, no React render); a list the store gets from elsewhere becomes the editor's document,
 * the same object, with a fresh undo history.
 */
export const UrlEditor = memo(function UrlEditor(props: UrlEditorProps): JSX.Element {
  const host = useRef<HTMLDivElement>(null)
  const view = useRef<EditorView | null>(null)
  const placeholderSlot = useRef(new Compartment())
  const placeholder = useRef(props.placeholder)
  const attributes = useRef({ labelledBy: props.labelledBy, describedBy: props.describedBy })

  useEffect(() => {
    const parent = host.current
    if (!parent) return
    const { labelledBy, describedBy } = attributes.current
    const stateOf = (doc: Text): EditorState =>
      EditorState.create({
        doc,
        extensions: [
          lineNumbers(),
          history(),
          drawSelection(),
          highlightActiveLine(),
          keymap.of([...defaultKeymap, ...historyKeymap]),
          placeholderSlot.current.of(placeholderText(placeholder.current)),
          EditorView.contentAttributes.of({
            'aria-labelledby': labelledBy,
            'aria-describedby': describedBy,
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
            if (update.docChanged) urlDraftActions.setDoc(update.state.doc)
          }),
          theme
        ]
      })
    const editor = new EditorView({ parent, state: stateOf(useUrlDraftStore.getState().doc) })
    view.current = editor
    const unsubscribe = useUrlDraftStore.subscribe((s) => {
      if (s.doc !== editor.state.doc) editor.setState(stateOf(s.doc))
    })
    return () => {
      unsubscribe()
      editor.destroy()
      view.current = null
    }
  }, [])

  useEffect(() => {
    if (placeholder.current === props.placeholder) return
    placeholder.current = props.placeholder
    view.current?.dispatch({
      effects: placeholderSlot.current.reconfigure(placeholderText(props.placeholder))
    })
  }, [props.placeholder])

  return <div ref={host} className="setup-urls__editor" />
})
