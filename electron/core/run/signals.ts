/**
 * SIGINT and SIGTERM end a driven run the same way everywhere (the runner, the browser host, the
 * app's quit): in-flight requests cancelled, collected results written, the run left interrupted
 * and resumable. The process then exits as shells expect of a signal: 128 + its number.
 */

export type StopSignal = 'SIGINT' | 'SIGTERM'

export const SIGNAL_EXIT_CODES: Readonly<Record<StopSignal, number>> = { SIGINT: 130, SIGTERM: 143 }

/** What an interrupted run records as its reason. */
export const SIGNAL_REASONS: Readonly<Record<StopSignal, string>> = {
  SIGINT: 'SIGINT (Ctrl-C) stopped it',
  SIGTERM: 'SIGTERM stopped it'
}

/** Calls `handler` on SIGINT or SIGTERM; returns a function that removes it. */
export function onStopSignals(handler: (signal: StopSignal) => void): () => void {
  const onInt = () => {
    handler('SIGINT')
  }
  const onTerm = () => {
    handler('SIGTERM')
  }
  process.on('SIGINT', onInt)
  process.on('SIGTERM', onTerm)
  return () => {
    process.off('SIGINT', onInt)
    process.off('SIGTERM', onTerm)
  }
}
