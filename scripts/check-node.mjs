// Every npm script runs on the Node major that Electron embeds (24), provided by the `node`
// devDependency. Fail loudly instead of producing confusing errors on an older runtime.
const major = Number(process.versions.node.split('.')[0])
if (major < 24) {
  console.error(
    `Crawlboard's tools need Node 24 (found ${process.version}). Run them through npm (\`npm test\`, \`npm run …\`), ` +
      'which puts the pinned Node 24 from node_modules/.bin first on PATH; run `npm install` first.'
  )
  process.exit(1)
}
