import { Component, type ErrorInfo, type ReactNode } from 'react'

/**
 * A render error in one view shows a message with a way out instead of a blank window. Errors are
 * bugs, not data: logged once to the console; the rest of the app keeps running.
 */
export class ErrorBoundary extends Component<
  { readonly children: ReactNode; readonly resetKey: string },
  { readonly error: Error | null; readonly resetKey: string }
> {
  override state: { readonly error: Error | null; readonly resetKey: string } = {
    error: null,
    resetKey: this.props.resetKey
  }

  static getDerivedStateFromError(error: Error): { error: Error } {
    return { error }
  }

  /** Moving to another view clears the error. */
  static getDerivedStateFromProps(
    props: { readonly resetKey: string },
    state: { readonly error: Error | null; readonly resetKey: string }
  ): { error: Error | null; resetKey: string } | null {
    return props.resetKey !== state.resetKey ? { error: null, resetKey: props.resetKey } : null
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('Crawlboard: a view failed to render', error, info.componentStack)
  }

  override render(): ReactNode {
    const { error } = this.state
    if (error === null) return this.props.children
    return (
      <div className="state" role="alert">
        <h2>This view ran into a problem</h2>
        <p>
          {error.message}. Other views still work; reloading the window keeps the run going and picks it up
          where it is.
        </p>
        <div className="state__actions">
          <button
            type="button"
            className="btn btn--primary"
            onClick={() => {
              window.location.reload()
            }}
          >
            Reload
          </button>
          <button
            type="button"
            className="btn"
            onClick={() => {
              this.setState({ error: null })
            }}
          >
            Try again
          </button>
        </div>
      </div>
    )
  }
}
