import { answer, type UrlCheckRequest } from './url-check.ts'

/** Checks Setup's URL list off the main thread: one request in, one answer out. */
addEventListener('message', (event: MessageEvent<UrlCheckRequest>) => {
  postMessage(answer(event.data))
})
