import {
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type CSSProperties,
  type JSX,
  type KeyboardEvent
} from 'react'

/** Where the list is measured before it is placed (focusable there, unlike a hidden one). */
const OFFSCREEN: CSSProperties = { top: -10_000, left: -10_000 }

export interface MenuItem {
  readonly id: string
  readonly label: string
  readonly onSelect: () => void
  /** Why the item cannot be picked now (shown as its tooltip and read as its description). */
  readonly disabledReason?: string | null
  /** Drawn in the danger colour (Delete). */
  readonly danger?: boolean
}

export interface MenuButtonProps {
  /** The button's visible text. */
  readonly label: string
  readonly items: readonly MenuItem[]
  /** Extra description of the button (e.g. which run it acts on), by element id. */
  readonly describedBy?: string
  readonly disabled?: boolean
  readonly className?: string
  /** Open the menu towards the left (for buttons at the right edge). */
  readonly alignEnd?: boolean
}

/**
 * A button that opens a menu of actions (WAI-ARIA menu button pattern): Enter, Space or ↓ open it
 * on the first item, ↑ on the last; ↑/↓/Home/End move; Enter picks; Escape or Tab closes; a click
 * outside closes. Focus returns to the button before the item runs, so a dialog the item opens
 * gives focus back there when it closes. Disabled items stay focusable so their reason is read.
 * The list is placed with fixed coordinates, so a scrolling table around the button cannot clip
 * it; it opens upwards when there is no room below, and closes when a scroll moves the button.
 */
export function MenuButton({
  label,
  items,
  describedBy,
  disabled = false,
  className = 'btn btn--small',
  alignEnd = false
}: MenuButtonProps): JSX.Element {
  const [open, setOpen] = useState(false)
  const [active, setActive] = useState(0)
  const rootRef = useRef<HTMLDivElement>(null)
  const buttonRef = useRef<HTMLButtonElement>(null)
  const itemRefs = useRef<(HTMLButtonElement | null)[]>([])
  const listRef = useRef<HTMLDivElement>(null)
  const id = useId()

  // Placed on the DOM directly, after measuring, before the browser paints.
  useLayoutEffect(() => {
    const list = listRef.current
    const button = buttonRef.current?.getBoundingClientRect()
    if (!open || !list || !button) return
    const size = list.getBoundingClientRect()
    const below = window.innerHeight - button.bottom
    const top =
      below >= size.height + 8 || below >= button.top ? button.bottom + 4 : button.top - size.height - 4
    const left = alignEnd ? button.right - size.width : button.left
    list.style.top = `${Math.max(4, top)}px`
    list.style.left = `${Math.max(4, Math.min(left, window.innerWidth - size.width - 4))}px`
  }, [open, alignEnd])

  useEffect(() => {
    if (!open) return
    itemRefs.current[active]?.focus({ preventScroll: true })
  }, [open, active])

  // A scroll that moves the button leaves the list behind: close it. Scrolls that do not move it
  // (a table scrolling its own rows) leave it open.
  useEffect(() => {
    if (!open) return
    const at = buttonRef.current?.getBoundingClientRect()
    const onMove = (): void => {
      const now = buttonRef.current?.getBoundingClientRect()
      if (!at || !now || Math.abs(now.top - at.top) > 1 || Math.abs(now.left - at.left) > 1) setOpen(false)
    }
    window.addEventListener('scroll', onMove, true)
    window.addEventListener('resize', onMove)
    return () => {
      window.removeEventListener('scroll', onMove, true)
      window.removeEventListener('resize', onMove)
    }
  }, [open])

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

  const openAt = (index: number): void => {
    setActive(index)
    setOpen(true)
  }
  const close = (): void => {
    setOpen(false)
    buttonRef.current?.focus()
  }
  const pick = (item: MenuItem): void => {
    if (item.disabledReason) return
    close()
    item.onSelect()
  }

  const onButtonKey = (e: KeyboardEvent<HTMLButtonElement>): void => {
    if (e.key === 'ArrowDown') {
      e.preventDefault()
      openAt(0)
    } else if (e.key === 'ArrowUp') {
      e.preventDefault()
      openAt(items.length - 1)
    }
  }

  const onMenuKey = (e: KeyboardEvent<HTMLDivElement>): void => {
    const last = items.length - 1
    const moves: Readonly<Record<string, number>> = {
      ArrowDown: active >= last ? 0 : active + 1,
      ArrowUp: active <= 0 ? last : active - 1,
      Home: 0,
      End: last
    }
    const to = moves[e.key]
    if (to !== undefined) {
      e.preventDefault()
      setActive(to)
    } else if (e.key === 'Escape') {
      e.preventDefault()
      e.stopPropagation()
      close()
    } else if (e.key === 'Tab') {
      setOpen(false)
    }
  }

  return (
    <div className="menu" ref={rootRef}>
      <button
        ref={buttonRef}
        type="button"
        className={className}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? `${id}-menu` : undefined}
        aria-describedby={describedBy}
        disabled={disabled}
        onClick={() => {
          if (open) setOpen(false)
          else openAt(0)
        }}
        onKeyDown={onButtonKey}
      >
        {label}
        <span className="menu__caret" aria-hidden="true">
          ▾
        </span>
      </button>
      {open ? (
        <div
          ref={listRef}
          id={`${id}-menu`}
          role="menu"
          aria-label={label}
          className="menu__list"
          style={OFFSCREEN}
          onKeyDown={onMenuKey}
        >
          {items.map((item, i) => {
            const reason = item.disabledReason ?? null
            return (
              <button
                key={item.id}
                ref={(el) => {
                  itemRefs.current[i] = el
                }}
                type="button"
                role="menuitem"
                tabIndex={i === active ? 0 : -1}
                className={`menu__item${item.danger ? ' menu__item--danger' : ''}`}
                aria-disabled={reason !== null ? true : undefined}
                aria-describedby={reason !== null ? `${id}-why-${item.id}` : undefined}
                title={reason ?? undefined}
                onClick={() => {
                  pick(item)
                }}
                onMouseEnter={() => {
                  setActive(i)
                }}
              >
                {item.label}
              </button>
            )
          })}
        </div>
      ) : null}
      {/* Descriptions may point at hidden text; outside the menu, it holds only menu items. */}
      {open
        ? items.map((item) =>
            item.disabledReason ? (
              <span key={item.id} id={`${id}-why-${item.id}`} hidden>
                {item.disabledReason}
              </span>
            ) : null
          )
        : null}
    </div>
  )
}
