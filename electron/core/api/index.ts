/**
 * The main-side service behind every transport: the backend (runs, events, queries, preferences)
 * and the validating dispatcher that IPC handlers and the browser host call it through.
 */
export type { ApiDispatcher, CrawlerBackend } from './backend.ts'
export { createCrawlerBackend, type CrawlerBackendOptions } from './crawler-backend.ts'
export { createApiDispatcher, toWireError, isApiMethod, type WireError } from './api-dispatcher.ts'
