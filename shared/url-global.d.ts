/**
 * The WHATWG URL class exists in every runtime shared/ code runs in (Node, Electron's renderer,
 * browsers) but not in the ES lib that tsconfig.shared.json uses, so shared/ declares the subset it
 * uses. The same file is also compiled next to lib.dom (renderer, preload) and @types/node (main),
 * which declare URL too. Merged `var` declarations must have identical types, so the constructor's
 * type defers to theirs when present (the trick @types/node itself uses): DOM is detected by
 * `onmessage`, Node by `process`; only a shared-only program gets the minimal constructor below.
 * The Node branch's `import('url')` resolves only where @types/node is loaded; elsewhere it is an
 * error in this declaration file that `skipLibCheck` (tsconfig.base.json) leaves unreported.
 * Interface members merge with theirs and match their types exactly (plain, not readonly).
 */

interface URL {
  href: string
  protocol: string
}

// A global value must be a `var` to merge with lib.dom's and @types/node's declarations.
// eslint-disable-next-line no-var
declare var URL: typeof globalThis extends { onmessage: unknown; URL: infer T }
  ? T
  : typeof globalThis extends { process: unknown }
    ? typeof import('url').URL
    : { prototype: URL; new (url: string, base?: string): URL; canParse(url: string, base?: string): boolean }
