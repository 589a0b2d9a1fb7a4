export function App() {
  return (
    <main>
      <h1>Crawlboard</h1>
      <p>Run crawls from the terminal with the headless runner: npm run crawl -- --demo</p>
    </main>
  )
}
