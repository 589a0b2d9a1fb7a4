import { useEffect, useId, useRef, type JSX, type ReactNode } from 'react'

/**
 * A modal <dialog>: showModal() traps focus and makes the rest inert; Escape calls onCancel (the
 * owner decides whether it closes); focus goes back to what had it when the dialog closes (the
 * browser does that for showModal). Focus starts on the element marked data-autofocus, else on the
 * first focusable one (React's autoFocus fires before showModal, on a closed dialog, so it is not used).
 */
export function ModalDialog({
  open,
  title,
  description,
  onCancel,
  children,
  width = 440
}: {
  open: boolean
  title: string
  /** A sentence under the title, read out with it. */
  description?: ReactNode
  onCancel: () => void
  children: ReactNode
  width?: number
}): JSX.Element {
  const ref = useRef<HTMLDialogElement>(null)
  const id = useId()
  useEffect(() => {
    const dialog = ref.current
    if (!dialog) return
    if (open && !dialog.open) {
      dialog.showModal()
      dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus()
    }
    if (!open && dialog.open) dialog.close()
  }, [open])
  return (
    <dialog
      ref={ref}
      className="modal"
      aria-labelledby={`${id}-title`}
      aria-describedby={description !== undefined ? `${id}-desc` : undefined}
      onCancel={(e) => {
        e.preventDefault()
        onCancel()
      }}
    >
      {open ? (
        <div className="modal__body" style={{ width }}>
          <h2 id={`${id}-title`}>{title}</h2>
          {description !== undefined ? (
            <p id={`${id}-desc`} className="modal__desc">
              {description}
            </p>
          ) : null}
          {children}
        </div>
      ) : null}
    </dialog>
  )
}
