import { beforeEach, describe, expect, it } from 'vitest'
import { useViewStore } from '../../../renderer/src/app/view-store.ts'
import { openCompare, setComparePair, useCompareStore } from '../../../renderer/src/stores/compare-store.ts'

/** openCompare is how other views (History) open a comparison. */

describe('openCompare', () => {
  beforeEach(() => {
    setComparePair(null, null)
    useViewStore.setState({ view: 'history' })
  })

  it('opens the Compare view on the given pair', () => {
    openCompare('run-a', 'run-b')
    expect(useCompareStore.getState()).toEqual({ baseRunId: 'run-a', otherRunId: 'run-b' })
    expect(useViewStore.getState().view).toBe('compare')
  })

  it('keeps the other run when only a base is given, unless it is that base', () => {
    openCompare('run-a', 'run-b')
    openCompare('run-c')
    expect(useCompareStore.getState()).toEqual({ baseRunId: 'run-c', otherRunId: 'run-b' })
    openCompare('run-b')
    expect(useCompareStore.getState()).toEqual({ baseRunId: 'run-b', otherRunId: null })
  })
})
