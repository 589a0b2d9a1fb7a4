import { useEffect, useId, useMemo, useRef, useState, type JSX } from 'react'
import { formatCount } from '../../../../shared/format.ts'

export interface MultiSelectOption<T extends string | number> {
  readonly value: T
  readonly label: string
  readonly count: number
}

export interface MultiSelectProps<T extends string | number> {
  readonly label: string
  readonly options: readonly MultiSelectOption<T>[]
  readonly selected: readonly T[]
  readonly onChange: (selected: T[]) => void
  /** Text shown when there are no options. */
  readonly emptyText: string
}

/** Options beyond this many get a filter box (a spider run can touch hundreds of hosts). */
const FILTER_THRESHOLD = 8
/** Options drawn at once; the filter box narrows the rest. */
const MAX_SHOWN = 200

/**
 * A filter menu: a button showing how many values are picked, opening a list of checkboxes with
 * counts. Escape or a click outside closes it; Escape returns focus to the button.
 */
export function MultiSelect<T extends string | number>(props: MultiSelectProps<T>): JSX.Element {
  const { label, options, selected, onChange } = props
  const [open, setOpen] = useState(false)
  const [filter, setFilter] = useState('')
  const rootRef = useRef<HTMLDivElement>(null)
  const buttonRef = useRef<HTMLButtonElement>(null)
  const id = useId()

  useEffect(() => {
    if (!open) return
    const onDown = (e: MouseEvent): void => {
      if (rootRef.current && e.target instanceof Node && !rootRef.current.contains(e.target)) setOpen(false)
    }
    document.addEventListener('mousedown', onDown)
    return () => {
      document.removeEventListener('mousedown', onDown)
    }
  }, [open])

  const shown = useMemo(() => {
    const f = filter.trim().toLowerCase()
    const list = f === '' ? options : options.filter((o) => o.label.toLowerCase().includes(f))
    return list.slice(0, MAX_SHOWN)
  }, [options, filter])

  // Values picked earlier but absent from the current facets still show, so they can be unpicked.
  const missing = selected.filter((v) => !options.some((o) => o.value === v))

  return (
    <div
      className="multi"
      ref={rootRef}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          e.preventDefault()
          e.stopPropagation()
          setOpen(false)
          buttonRef.current?.focus()
        }
      }}
    >
      <button
        ref={buttonRef}
        type="button"
        className={`multi__button${selected.length > 0 ? ' multi__button--active' : ''}`}
        aria-expanded={open}
        aria-controls={`${id}-menu`}
        onClick={() => {
          setOpen((o) => !o)
        }}
      >
        {label}
        {selected.length > 0 ? <span className="multi__badge">{selected.length}</span> : null}
        <span aria-hidden="true" className="multi__caret">
          ▾
        </span>
      </button>
      {open ? (
        <div className="multi__menu" id={`${id}-menu`} role="group" aria-label={`${label} filter`}>
          {options.length > FILTER_THRESHOLD ? (
            <input
              className="multi__filter"
              type="search"
              placeholder={`Find ${label.toLowerCase()}…`}
              aria-label={`Find ${label.toLowerCase()}`}
              value={filter}
              autoFocus
              onChange={(e) => {
                setFilter(e.currentTarget.value)
              }}
            />
          ) : null}
          {options.length === 0 && missing.length === 0 ? (
            <p className="multi__empty">{props.emptyText}</p>
          ) : null}
          <ul className="multi__list">
            {missing.map((v) => (
              <li key={`missing-${String(v)}`}>
                <label className="multi__option">
                  <input
                    type="checkbox"
                    checked
                    onChange={() => {
                      onChange(selected.filter((s) => s !== v))
                    }}
                  />
                  <span className="multi__label">{String(v)}</span>
                  <span className="multi__count">0</span>
                </label>
              </li>
            ))}
            {shown.map((o) => (
              <li key={String(o.value)}>
                <label className="multi__option">
                  <input
                    type="checkbox"
                    checked={selected.includes(o.value)}
                    onChange={() => {
                      onChange(
                        selected.includes(o.value)
                          ? selected.filter((s) => s !== o.value)
                          : [...selected, o.value]
                      )
                    }}
                  />
                  <span className="multi__label" title={o.label}>
                    {o.label}
                  </span>
                  <span className="multi__count">{formatCount(o.count)}</span>
                </label>
              </li>
            ))}
          </ul>
          {options.length > shown.length && filter === '' ? (
            <p className="multi__more">
              Showing {shown.length} of {options.length}; type to find others.
            </p>
          ) : null}
          {selected.length > 0 ? (
            <button
              type="button"
              className="multi__clear"
              onClick={() => {
                onChange([])
              }}
            >
              Clear
            </button>
          ) : null}
        </div>
      ) : null}
    </div>
  )
}
