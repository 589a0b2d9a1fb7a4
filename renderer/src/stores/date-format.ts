/**
 * Dates as the app shows them: in the person's locale and time zone (a screen stays where it is,
 * unlike the HTML report, which writes the offset out). Other figures come from shared/format.ts.
 */

const dateTime = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit'
})

export function formatDateTime(epochMs: number): string {
  return dateTime.format(new Date(epochMs))
}

const dateTimeThisYear = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit'
})

/** For narrow columns: the year only when it is not this one. */
export function formatDateTimeShort(epochMs: number, now: number = Date.now()): string {
  const date = new Date(epochMs)
  return date.getFullYear() === new Date(now).getFullYear()
    ? dateTimeThisYear.format(date)
    : dateTime.format(date)
}
