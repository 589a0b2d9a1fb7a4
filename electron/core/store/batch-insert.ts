import type { DatabaseSync } from 'node:sqlite'
import type { EncodedBatch } from './result-batch.ts'

/**
 * Inserting an EncodedBatch (result-batch.ts) through one connection, in one transaction: its
 * hosts (hosts.id per name, cached), its detail blocks (compressed here) and its rows.
 *
 * createBatchInserter must stay self-contained: no imports used at run time and no module-level
 * names, only its parameters and globals. The writer thread runs it from its source text
 * (writer-thread.ts: a worker evaluated from a string needs no file next to the bundle), and the
 * calling thread uses it directly when a writer writes in place.
 */

export interface InserterConfig {
  /** resultInsertSql(1) and resultInsertSql(rowsPerInsert): COLUMNS parameters a row, in column order. */
  readonly resultSql: string
  readonly resultsSql: string
  readonly rowsPerInsert: number
  readonly blockSql: string
  readonly blockSize: number
  /** Stored in result_blocks.codec for what compress() produces. */
  readonly codec: string
}

/** Inserts the batches in one transaction: all of them are committed, or none (and it throws). */
export type BatchInserter = (batches: readonly EncodedBatch[]) => void

export function createBatchInserter(
  db: DatabaseSync,
  compress: (json: string) => Uint8Array,
  config: InserterConfig
): BatchInserter {
  const ridSpan = 2 ** 32
  const insertResult = db.prepare(config.resultSql)
  const insertResults = db.prepare(config.resultsSql)
  const per = config.rowsPerInsert
  /** results columns a row binds (resultInsertSql). */
  const columns = 23
  /** Parameters of the rows not inserted yet: up to `per` rows. */
  const args: (number | string | null)[] = new Array<number | string | null>(columns * per).fill(null)
  let queued = 0
  const insertBlock = db.prepare(config.blockSql)
  const lastBlock = db.prepare('SELECT max(bid) AS bid FROM result_blocks WHERE bid BETWEEN ? AND ?')
  const insertHost = db.prepare('INSERT INTO hosts (name) VALUES (?) ON CONFLICT (name) DO NOTHING')
  const hostIdOf = db.prepare('SELECT id FROM hosts WHERE name = ?')
  /** Host name → hosts.id; hosts rows are never deleted, so an id stays valid once committed. */
  const hostIds = new Map<string, number>()
  // NaN has no SQLite value: NULL, read back as NaN.
  const real = (n: number): number | null => (Number.isNaN(n) ? null : n)

  const insert = (batch: EncodedBatch): void => {
    const { runKey, count, numbers: n, text, lengths } = batch
    const base = runKey * ridSpan
    let at = 0
    const hosts = batch.hosts.map((name) => {
      let id = hostIds.get(name)
      if (id === undefined) {
        insertHost.run(name)
        id = Number(hostIdOf.get(name)?.['id'])
        hostIds.set(name, id)
      }
      return id
    })
    const last = lastBlock.get(base, base + ridSpan - 1)?.['bid']
    let bid = last === null || last === undefined ? base : Number(last) + 1
    for (let b = 0; b < batch.details.length; b++, bid++) {
      const first = b * config.blockSize
      const end = Math.min(count, first + config.blockSize)
      const details = batch.details[b] ?? '[]'
      // Rows are in id order: the block's first and last rows bound its rid range.
      insertBlock.run(
        bid,
        runKey,
        config.codec,
        end - first,
        typeof details === 'string' ? compress(details) : details,
        base + (n[first * 12] as number),
        base + (n[(end - 1) * 12] as number)
      )
      for (let i = first; i < end; i++) {
        const o = i * 12
        const id = n[o] as number
        let a = queued * columns
        args[a++] = base + id
        args[a++] = runKey
        args[a++] = id
        // The row's 7 strings, unpacked from `text` (result-batch.ts): url, final_url, error_code,
        // error_phase, error_message, content_type, title; null where the length is −1.
        const f = i * 7
        const url = lengths[f] as number
        args[a++] = text.slice(at, (at += url))
        const finalUrl = lengths[f + 1] as number
        args[a++] = finalUrl < 0 ? null : text.slice(at, (at += finalUrl))
        args[a++] = hosts[n[o + 1] as number] ?? 0
        args[a++] = n[o + 2] as number
        args[a++] = n[o + 3] as number
        for (let k = 2; k < 5; k++) {
          const length = lengths[f + k] as number
          args[a++] = length < 0 ? null : text.slice(at, (at += length))
        }
        args[a++] = n[o + 4] as number
        args[a++] = bid
        args[a++] = i - first
        args[a++] = real(n[o + 5] as number)
        args[a++] = real(n[o + 6] as number)
        args[a++] = n[o + 7] as number
        for (let k = 5; k < 7; k++) {
          const length = lengths[f + k] as number
          args[a++] = length < 0 ? null : text.slice(at, (at += length))
        }
        args[a++] = n[o + 8] as number
        args[a++] = n[o + 9] as number
        args[a++] = n[o + 10] as number
        const foundOn = n[o + 11] as number
        args[a] = foundOn < 0 ? null : foundOn
        if (++queued === per) {
          insertResults.run(...args)
          queued = 0
        }
      }
    }
    for (let q = 0; q < queued; q++) insertResult.run(...args.slice(q * columns, (q + 1) * columns))
    queued = 0
  }

  return (batches) => {
    // IMMEDIATE: the block numbers and host ids read while inserting stay ours until COMMIT.
    db.exec('BEGIN IMMEDIATE')
    try {
      for (const batch of batches) insert(batch)
      db.exec('COMMIT')
    } catch (error) {
      if (db.isTransaction) db.exec('ROLLBACK')
      // Hosts inserted by the rolled-back transaction are gone again.
      hostIds.clear()
      queued = 0
      throw error
    }
  }
}
