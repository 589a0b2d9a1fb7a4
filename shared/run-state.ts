/**
 * One engine's run, as the engine knows it (who drives it is the run status's: run-status.ts):
 *
 *   idle ──start──▶ running ◀──resume── paused
 *                    │  └────pause────▶  │
 *                    ├──all done──▶ completed
 *                    └──cancel────▶ cancelled ◀──cancel── (paused)
 */
export type RunState = 'idle' | 'running' | 'paused' | 'completed' | 'cancelled'
