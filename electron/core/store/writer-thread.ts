// Over 400 lines: the worker program and the calling side of one message protocol belong together.
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads'
import { createBatchInserter, type InserterConfig } from './batch-insert.ts'
import type { EncodedBatch } from './result-batch.ts'
import { createSearchIndexer } from './search-index.ts'

/**
 * The thread that inserts results: a worker_threads Worker with its own connection to the
 * database file (WAL: one writer besides any number of readers), so a batch's SQLite work never
 * runs on the thread that feeds the UI. One per RunStore, shared by its writers; each batch gets
 * one answer, and small batches queued together share a transaction.
 *
 * The worker runs from source text (`eval`), built from self-contained functions: the bundled app,
 * the runner under Node and the tests then all start it the same way, with no worker file to find
 * next to a bundle or inside an asar archive.
 *
 * Answers arrive as messages on a MessagePort. The calling thread takes them from its event loop,
 * or, when it must wait (flush, close, a read that must see a batch handed over), blocks on a
 * shared counter the worker bumps after each answer and takes them with receiveMessageOnPort.
 *
 * While no batch has arrived for IDLE_INDEX_MS, the worker also builds the search index
 * (search-index.ts) a few detail blocks a transaction, so indexing never delays a write by more
 * than one such step (~20–40 ms) and a run written flat out is indexed once its writes pause.
 */

export type WriteAnswer =
  | {
      readonly seq: number
      readonly ok: true
      /** The transaction (numbered per thread): its rows (every batch in it), wall ms and thread CPU ms. */
      readonly txn: number
      readonly rows: number
      readonly ms: number
      readonly cpuMs: number
    }
  | { readonly seq: number; readonly ok: false; readonly error: SqliteErrorData }

/** What an error thrown in the worker keeps across the thread boundary (store-error.ts reads errcode). */
export interface SqliteErrorData {
  readonly message: string
  readonly errcode?: number
  readonly errstr?: string
}

interface ThreadData {
  readonly path: string
  readonly pragmas: readonly string[]
  readonly config: InserterConfig
  readonly brotli: Readonly<Record<number, number>>
  readonly maxRowsPerTransaction: number
  readonly docRows: number
  readonly port: MessagePort
  readonly signal: Int32Array
}

type ToThread =
  { readonly kind: 'write'; readonly seq: number; readonly batch: EncodedBatch } | { readonly kind: 'close' }
type FromThread =
  ({ readonly kind: 'answer' } & WriteAnswer) | { readonly kind: 'ready' } | { readonly kind: 'closed' }

/** A wait with no answer for this long means the worker is gone: the write fails (rows kept). */
const STALL_MS = 30_000
/** The worker indexes for search once no batch has arrived for this long. */
const IDLE_INDEX_MS = 50
/** Detail blocks (~200 results each) a step of indexing takes: one transaction of ~20–40 ms. */
const INDEX_BLOCKS_PER_STEP = 20
/** After a failed step (another connection holds the lock), the next one waits this long. */
const INDEX_RETRY_MS = 1_000

/**
 * The worker's whole program. Self-contained like createBatchInserter, which it receives.
 * Errors become answers; the connection is opened again after a failed open.
 */
function writerThreadMain(
  inserter: typeof createBatchInserter,
  indexer: typeof createSearchIndexer,
  idleMs: number,
  blocksPerStep: number,
  retryMs: number
): void {
  const get = (id: string): unknown => process.getBuiltinModule(id)
  const threads = get('node:worker_threads') as typeof import('node:worker_threads')
  const receiveMessageOnPort = threads.receiveMessageOnPort
  const { DatabaseSync } = get('node:sqlite') as typeof import('node:sqlite')
  const zlib = get('node:zlib') as typeof import('node:zlib')
  const data = threads.workerData as ThreadData
  const { port, signal } = data
  const sizeHint = zlib.constants.BROTLI_PARAM_SIZE_HINT
  const compress = (json: string): Uint8Array =>
    zlib.brotliCompressSync(json, { params: { ...data.brotli, [sizeHint]: json.length } })
  let db: InstanceType<typeof DatabaseSync> | null = null
  let insert: ((batches: readonly EncodedBatch[]) => void) | null = null
  let index: ((maxBlocks: number) => number) | null = null
  let lastWrite = 0
  let indexTimer: ReturnType<typeof setTimeout> | null = null
  const scheduleIndex = (delay: number): void => {
    if (indexTimer === null && db !== null) indexTimer = setTimeout(indexTick, delay)
  }
  const indexTick = (): void => {
    indexTimer = null
    if (db === null) return
    const quiet = performance.now() - lastWrite
    if (quiet < idleMs) {
      scheduleIndex(idleMs - quiet)
      return
    }
    try {
      index ??= indexer(db, data.docRows)
      // More to do: the next step after any message that arrived meanwhile.
      if (index(blocksPerStep) > 0) scheduleIndex(0)
    } catch {
      // Rolled back; the index is only ever behind, never wrong. Try again later.
      scheduleIndex(retryMs)
    }
  }
  const connect = (): ((batches: readonly EncodedBatch[]) => void) => {
    if (insert) return insert
    db = new DatabaseSync(data.path)
    try {
      for (const pragma of data.pragmas) db.exec(pragma)
      insert = inserter(db, compress, data.config)
    } catch (error) {
      db.close()
      db = null
      throw error
    }
    // Runs stored before, or written while no thread was indexing, are caught up too.
    scheduleIndex(idleMs)
    return insert
  }
  // This thread's CPU time, ms (Node ≥ 23.9; NaN before): the benchmark's account of the work.
  let txn = 0
  const threadCpu = (): number => {
    const usage = (process as { threadCpuUsage?: () => NodeJS.CpuUsage }).threadCpuUsage?.()
    return usage ? (usage.user + usage.system) / 1000 : NaN
  }
  const answer = (message: FromThread): void => {
    port.postMessage(message)
    Atomics.add(signal, 0, 1)
    Atomics.notify(signal, 0)
  }
  try {
    connect()
  } catch {
    // Reported with the first batch, which tries again.
  }
  answer({ kind: 'ready' })
  const close = (): void => {
    if (indexTimer !== null) clearTimeout(indexTimer)
    indexTimer = null
    try {
      db?.close()
    } catch {
      // Closing never loses a commit; the file is consistent either way.
    }
    db = null
    insert = null
    index = null
    answer({ kind: 'closed' })
    port.close()
  }
  port.on('message', (first: ToThread) => {
    if (first.kind === 'close') {
      close()
      return
    }
    // Small batches that queued up while the last transaction ran go into this one together
    // (fewer commits); see MAX_ROWS_PER_TRANSACTION. Under load the writer hands over larger
    // batches instead, so transactions grow either way.
    const writes = [first]
    let rows = first.batch.count
    let then: ToThread | undefined
    while (rows < data.maxRowsPerTransaction) {
      const next = receiveMessageOnPort(port)?.message as ToThread | undefined
      if (next === undefined) break
      if (next.kind === 'close') {
        then = next
        break
      }
      writes.push(next)
      rows += next.batch.count
    }
    const start = performance.now()
    const cpu = threadCpu()
    try {
      connect()(writes.map((w) => w.batch))
      const ms = performance.now() - start
      const cpuMs = threadCpu() - cpu
      txn++
      for (const w of writes) answer({ kind: 'answer', seq: w.seq, ok: true, txn, rows, ms, cpuMs })
    } catch (error) {
      const e = error as { message?: unknown; errcode?: unknown; errstr?: unknown }
      const failure: SqliteErrorData = {
        message: typeof e.message === 'string' ? e.message : String(error),
        ...(typeof e.errcode === 'number' ? { errcode: e.errcode } : {}),
        ...(typeof e.errstr === 'string' ? { errstr: e.errstr } : {})
      }
      for (const w of writes) answer({ kind: 'answer', seq: w.seq, ok: false, error: failure })
    }
    lastWrite = performance.now()
    scheduleIndex(idleMs)
    if (then) close()
  })
}

const SOURCE = `(${writerThreadMain.toString()})(${createBatchInserter.toString()}, ${createSearchIndexer.toString()}, ${IDLE_INDEX_MS}, ${INDEX_BLOCKS_PER_STEP}, ${INDEX_RETRY_MS})`

/**
 * What the writer threads of this process have done: transactions committed, their rows, and the
 * time they took (wall and thread CPU). The benchmark reads it.
 */
export const writerThreadWork = { transactions: 0, rows: 0, ms: 0, cpuMs: 0 }

/** Started threads, for settleWrites. */
const live = new Set<WriterThread>()

/**
 * Blocks until every batch handed over on this database file (by any store of this process) is
 * answered: a read then sees what add() handed over, as when writes were synchronous.
 */
export function settleWrites(path: string): void {
  for (const thread of live) if (thread.path === path) thread.settle()
}

export interface WriterThreadOptions {
  readonly path: string
  /** Run on the worker's connection first (busy timeout, cache, synchronous, …). */
  readonly pragmas: readonly string[]
  readonly config: InserterConfig
  readonly brotli: Readonly<Record<number, number>>
  /** Queued batches are committed together up to about this many rows. */
  readonly maxRowsPerTransaction: number
  /** Rows a search document holds (search-index.ts). */
  readonly docRows: number
}

export class WriterThread {
  private readonly opts: WriterThreadOptions
  private worker: Worker | null = null
  private port: MessagePort | null = null
  private signal = new Int32Array(new SharedArrayBuffer(4))
  private seq = 0
  /** The answer counter at the last poll. */
  private polled = 0
  /** The last transaction counted in writerThreadWork. */
  private lastTxn = 0
  /** The worker has tried to open its connection. */
  private ready = false
  /** Batches handed over and not answered yet: seq → who to tell. */
  private readonly waiting = new Map<number, (answer: WriteAnswer) => void>()
  private closed = false

  constructor(opts: WriterThreadOptions) {
    this.opts = opts
  }

  get path(): string {
    return this.opts.path
  }

  /**
   * Starts the worker and waits until its connection is open (tens of milliseconds, once): a
   * writer's first batches then go straight in rather than piling up behind the start.
   */
  start(): void {
    const port = this.port ?? this.spawn()
    const deadline = performance.now() + STALL_MS
    while (!this.ready && performance.now() < deadline) {
      const seen = Atomics.load(this.signal, 0)
      if (!this.drain(port)) Atomics.wait(this.signal, 0, seen, 1_000)
    }
  }

  /** Hands the batch over (its numbers are transferred); `done` gets the answer, on a later tick. */
  write(batch: EncodedBatch, done: (answer: WriteAnswer) => void): void {
    if (this.closed) throw new Error('The writer thread is closed')
    const port = this.port ?? this.spawn()
    const seq = ++this.seq
    this.waiting.set(seq, done)
    const message: ToThread = { kind: 'write', seq, batch }
    const transfer = [batch.numbers.buffer as ArrayBuffer, batch.lengths.buffer as ArrayBuffer]
    for (const details of batch.details)
      if (typeof details !== 'string') transfer.push(details.buffer as ArrayBuffer)
    port.postMessage(message, transfer)
  }

  /** Takes the answers that have arrived, without waiting (a shared counter says whether any did). */
  poll(): void {
    const now = Atomics.load(this.signal, 0)
    if (this.port && now !== this.polled) {
      this.polled = now
      this.drain(this.port)
    }
  }

  /** Blocks until every batch handed over so far is answered. */
  settle(): void {
    this.waitUntil(() => this.waiting.size === 0)
  }

  /** Blocks, taking answers as they arrive, until `done()` (or nothing is left to answer). */
  waitUntil(done: () => boolean): void {
    const port = this.port
    if (!port) return
    let last = performance.now()
    while (this.waiting.size > 0 && !done()) {
      const seen = Atomics.load(this.signal, 0)
      if (this.drain(port)) {
        last = performance.now()
        continue
      }
      if (Atomics.wait(this.signal, 0, seen, 1_000) === 'timed-out' && performance.now() - last > STALL_MS) {
        this.fail(`the writer thread did not answer for ${STALL_MS / 1000} s`)
      }
    }
  }

  /** Waits for every answer, closes the worker's connection and stops it. */
  close(): void {
    if (this.closed) return
    this.settle()
    this.closed = true
    const port = this.port
    if (!port || !this.worker) return
    const seen = Atomics.load(this.signal, 0)
    port.postMessage({ kind: 'close' } satisfies ToThread)
    // The connection must be closed before the store checkpoints and closes its own.
    const deadline = performance.now() + STALL_MS
    for (let at = seen; performance.now() < deadline; at = Atomics.load(this.signal, 0)) {
      const message = receiveMessageOnPort(port)?.message as FromThread | undefined
      if (message?.kind === 'closed') break
      if (message === undefined) Atomics.wait(this.signal, 0, at, 1_000)
    }
    port.close()
    void this.worker.terminate()
    this.worker = null
    this.port = null
    live.delete(this)
  }

  private spawn(): MessagePort {
    this.ready = false
    this.lastTxn = 0
    const { port1, port2 } = new MessageChannel()
    const data: ThreadData = { ...this.opts, port: port2, signal: this.signal }
    const worker = new Worker(SOURCE, { eval: true, workerData: data, transferList: [port2] })
    // Neither keeps a process alive: close() writes what is left, as the timers' unref does.
    worker.unref()
    port1.on('message', (message: FromThread) => {
      this.take(message)
    })
    port1.unref()
    worker.on('error', (error: Error) => {
      this.lost(worker, error.message)
    })
    worker.on('exit', (code) => {
      this.lost(worker, `it exited with code ${code}`)
    })
    this.worker = worker
    this.port = port1
    live.add(this)
    return port1
  }

  /** True when an answer was taken. */
  private drain(port: MessagePort): boolean {
    let any = false
    for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) {
      this.take(m.message as FromThread)
      any = true
    }
    return any
  }

  private take(message: FromThread): void {
    if (message.kind === 'ready') this.ready = true
    if (message.kind !== 'answer') return
    const done = this.waiting.get(message.seq)
    if (!done) return
    if (message.ok && message.txn !== this.lastTxn) {
      // One transaction answers each of its batches with the same figures: counted once.
      this.lastTxn = message.txn
      writerThreadWork.transactions++
      writerThreadWork.rows += message.rows
      writerThreadWork.ms += message.ms
      writerThreadWork.cpuMs += message.cpuMs
    }
    this.waiting.delete(message.seq)
    done(message)
  }

  /** The worker ended while batches were out: they fail (rows kept); the next write starts a new one. */
  private lost(worker: Worker, why: string): void {
    if (worker !== this.worker || this.closed) return
    this.port?.close()
    this.worker = null
    this.port = null
    this.signal = new Int32Array(new SharedArrayBuffer(4))
    this.polled = 0
    live.delete(this)
    this.fail(`the writer thread stopped: ${why}`)
  }

  private fail(why: string): void {
    const waiting = [...this.waiting]
    this.waiting.clear()
    for (const [seq, done] of waiting) done({ seq, ok: false, error: { message: why } })
  }
}

/** An answer's error as the Error toStoreError expects (errcode keeps LOCKED, FULL, … apart). */
export function answerError(data: SqliteErrorData): Error {
  const error = new Error(data.message)
  return data.errcode === undefined
    ? error
    : Object.assign(error, { errcode: data.errcode, errstr: data.errstr })
}
