/**
 * Reads a URL list file picked or dropped by the person: .txt, .csv, .tsv (or any text/* type).
 * Anything else is refused with a message that says what to use instead.
 */

const TEXT_EXTENSIONS = ['.txt', '.csv', '.tsv', '.list', '.lst', '.urls']
const TEXT_TYPES = ['application/csv', 'application/vnd.ms-excel', 'application/x-csv', '']
/** The host accepts a URL list of up to 200 M characters; leave room for what is already there. */
export const MAX_FILE_BYTES = 150 * 1024 * 1024

export type ReadOutcome =
  { readonly ok: true; readonly text: string } | { readonly ok: false; readonly message: string }

export async function readUrlFile(file: File): Promise<ReadOutcome> {
  const name = file.name
  const lower = name.toLowerCase()
  const byExtension = TEXT_EXTENSIONS.some((ext) => lower.endsWith(ext))
  const byType = file.type.startsWith('text/') || TEXT_TYPES.includes(file.type)
  if (!byExtension && !(byType && file.type !== '')) {
    return { ok: false, message: `"${name}" is not a text file: import a .txt or .csv list of URLs.` }
  }
  if (file.size > MAX_FILE_BYTES) {
    return {
      ok: false,
      message: `"${name}" is ${Math.round(file.size / 1024 / 1024)} MB: the limit is ${MAX_FILE_BYTES / 1024 / 1024} MB. Split the list.`
    }
  }
  // A renamed spreadsheet or archive: NUL bytes never occur in a text list.
  const head = new Uint8Array(await file.slice(0, 8_192).arrayBuffer())
  if (head.includes(0)) {
    return {
      ok: false,
      message: `"${name}" looks binary (a spreadsheet?): save it as CSV or plain text first.`
    }
  }
  return { ok: true, text: await file.text() }
}
