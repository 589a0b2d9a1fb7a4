import { expect, type Locator, type Page } from '@playwright/test'

/** Page objects: what a person reads and clicks, by role and label. */

/**
 * Pastes `text` into a URL editor as a person's paste does (one clipboard event), so a
 * 2,000-line list goes in at once instead of being typed in character by character.
 */
export async function pasteInto(box: Locator, text: string): Promise<void> {
  await box.click()
  await box.press('ControlOrMeta+a')
  await box.evaluate((el, t) => {
    const data = new DataTransfer()
    data.setData('text/plain', t)
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }))
  }, text)
}

export class SetupPage {
  readonly page: Page
  constructor(page: Page) {
    this.page = page
  }

  async open(url: string): Promise<void> {
    await this.page.goto(url)
    const own = this.page.getByRole('button', { name: 'Set up my own crawl' })
    if (await own.isVisible().catch(() => false)) await own.click()
  }

  get urls(): Locator {
    return this.page.getByRole('textbox', { name: 'URLs to crawl, one per line' })
  }

  /** Replaces the URL list with `text`, pasted. */
  async enterUrls(text: string): Promise<void> {
    await pasteInto(this.urls, text)
  }

  get startButton(): Locator {
    return this.page.getByRole('button', { name: /^Start run/ })
  }

  get invalidLines(): Locator {
    return this.page.getByRole('list', { name: 'Invalid lines' })
  }

  async setNumber(label: string, value: number): Promise<void> {
    const box = this.page.getByRole('main').getByRole('textbox', { name: label, exact: true })
    await box.fill(String(value))
    await box.blur()
  }

  async start(): Promise<void> {
    await this.startButton.click()
  }
}

export class DashboardPage {
  readonly page: Page
  constructor(page: Page) {
    this.page = page
  }

  get main(): Locator {
    return this.page.getByRole('main', { name: 'Dashboard' })
  }

  /** The run's state badge beside its name (Running, Paused, …). */
  stateBadge(text: string): Locator {
    return this.main.locator('.badge').getByText(text, { exact: true })
  }

  /** The "N of M done" figure. */
  async done(): Promise<{ done: number; total: number }> {
    const text =
      (await this.main
        .getByText(/of \d+ done/)
        .first()
        .textContent()) ?? ''
    const strong = (await this.main.locator('strong').first().textContent()) ?? '0'
    const total = /of (\d[\d,]*) done/.exec(text)?.[1] ?? '0'
    return { done: Number(strong.replace(/,/g, '')), total: Number(total.replace(/,/g, '')) }
  }

  card(term: string): Locator {
    return this.main
      .locator('dt', { hasText: new RegExp(`^${term}$`) })
      .locator('xpath=following-sibling::dd[1]')
  }

  async cardNumber(term: string): Promise<number> {
    return Number(((await this.card(term).textContent()) ?? '').replace(/[^\d.]/g, ''))
  }

  figure(name: string): Locator {
    return this.main.getByRole('figure', { name })
  }

  get liveConcurrency(): Locator {
    return this.page
      .getByRole('region', { name: 'Live limits' })
      .getByRole('textbox', { name: 'Concurrency', exact: true })
  }

  async waitForDone(timeoutMs: number): Promise<void> {
    await this.page.waitForFunction(
      () => {
        const main = document.querySelector('main')
        const text = main?.textContent ?? ''
        const m = /(\d[\d,]*)\s*of (\d[\d,]*) done/.exec(text)
        return m !== null && m[1] === m[2] && /Completed|Finished/i.test(text)
      },
      undefined,
      { timeout: timeoutMs }
    )
  }
}

/** The header: view tabs and the theme switch. */
export class AppShell {
  readonly page: Page
  constructor(page: Page) {
    this.page = page
  }

  async go(view: 'Setup' | 'Dashboard' | 'Results' | 'History' | 'Compare'): Promise<void> {
    await this.page
      .getByRole('navigation', { name: 'Views' })
      .getByRole('button', { name: view, exact: true })
      .click()
  }

  async theme(choice: 'System' | 'Light' | 'Dark'): Promise<void> {
    await this.page.getByRole('group', { name: 'Theme' }).getByRole('button', { name: choice }).click()
  }

  /** The run database banner (shown only when runs are not being recorded). */
  get storeAlert(): Locator {
    return this.page.getByRole('alert').filter({ hasText: 'Runs are not being saved' })
  }
}

/** History: every run, its figures and state, and the actions on each. */
export class HistoryPage {
  readonly page: Page
  constructor(page: Page) {
    this.page = page
  }

  get main(): Locator {
    return this.page.getByRole('main', { name: 'History' })
  }

  /** A run's row, by (part of) its name. */
  row(name: string | RegExp): Locator {
    return this.main
      .getByRole('row')
      .filter({ has: this.page.getByRole('rowheader', { name }) })
      .first()
  }

  /** The state badge's text: Running, Paused, Interrupted, Running elsewhere, Completed, Stopped. */
  async state(name: string | RegExp): Promise<string> {
    return ((await this.row(name).getByRole('cell').nth(7).textContent()) ?? '').trim()
  }

  /** The URLs cell: "500", or "48 / 120" while unfinished. */
  async urls(name: string | RegExp): Promise<string> {
    return ((await this.row(name).getByRole('cell').nth(1).textContent()) ?? '').trim()
  }

  button(name: string | RegExp, label: string): Locator {
    return this.row(name).getByRole('button', { name: label, exact: true })
  }

  async more(name: string | RegExp, item: string | RegExp): Promise<void> {
    await this.button(name, 'More').click()
    await this.page.getByRole('menu', { name: 'More' }).getByRole('menuitem', { name: item }).click()
  }

  get nameField(): Locator {
    return this.main.getByRole('textbox', { name: 'Run name' })
  }

  async rename(name: string | RegExp, to: string): Promise<void> {
    await this.more(name, 'Rename')
    await this.nameField.fill(to)
    await this.nameField.press('Enter')
  }

  async setNote(name: string | RegExp, note: string): Promise<void> {
    await this.more(name, /^(Add|Edit) note…$/)
    const dialog = this.page.getByRole('dialog')
    await dialog.getByRole('textbox', { name: 'Note' }).fill(note)
    await dialog.getByRole('button', { name: 'Save note' }).click()
    await dialog.waitFor({ state: 'hidden' })
  }

  /** Picks a format in the run's Export menu; the browser host answers with a download. */
  async export(name: string | RegExp, format: 'CSV' | 'NDJSON' | 'JSON' | 'HTML report'): Promise<void> {
    await this.button(name, 'Export').click()
    await this.page
      .getByRole('menu', { name: 'Export' })
      .getByRole('menuitem', { name: format, exact: true })
      .click()
  }
}

/** Compare: two run pickers, the distributions and percentiles, changed URLs, hosts. */
export class ComparePage {
  readonly page: Page
  constructor(page: Page) {
    this.page = page
  }

  get main(): Locator {
    return this.page.getByRole('main', { name: 'Compare' })
  }

  picker(which: 'Base run' | 'Other run'): Locator {
    return this.main.getByRole('combobox', { name: new RegExp(`^${which}`) })
  }

  async pick(baseRunId: string, otherRunId: string): Promise<void> {
    await this.picker('Base run').selectOption(baseRunId)
    await this.picker('Other run').selectOption(otherRunId)
  }

  /** A kind's filter chip ("Newly failing 1"); "All" for every change. */
  chip(label: string): Locator {
    return this.main
      .getByRole('group', { name: 'Show changes of kind' })
      .getByRole('button', { name: new RegExp(`^${label} `) })
  }

  async chipCount(label: string): Promise<number> {
    const text = (await this.chip(label).textContent()) ?? ''
    return Number(/([\d,]+)\s*$/.exec(text)?.[1]?.replace(/,/g, '') ?? NaN)
  }

  get changes(): Locator {
    return this.main.getByRole('table', { name: 'Changed URLs' })
  }

  /** The URL cells of the changes table's rows, in order. */
  async changedUrls(): Promise<string[]> {
    return (await this.changes.locator('tbody tr td:nth-child(2)').allTextContents()).map((t) => t.trim())
  }

  get search(): Locator {
    return this.main.getByRole('searchbox', { name: 'Search URLs' })
  }

  get hosts(): Locator {
    return this.main.getByRole('table', { name: 'Latency per host' })
  }

  /** Host names in the host table's order. */
  async hostOrder(): Promise<string[]> {
    return (await this.hosts.locator('tbody th').allTextContents()).map((t) => t.trim())
  }

  async sortHosts(column: 'Host' | 'Requests' | 'Δ p50' | 'Δ p95'): Promise<void> {
    await this.hosts.getByRole('button', { name: column, exact: true }).click()
  }

  async export(format: 'CSV' | 'JSON'): Promise<void> {
    await this.main.getByRole('button', { name: 'Export', exact: true }).click()
    await this.page
      .getByRole('menu', { name: 'Export' })
      .getByRole('menuitem', { name: new RegExp(`^${format}`) })
      .click()
  }
}

/** Setup's spider controls: the mode switch, the seeds box, scope and politeness settings. */
export class SpiderSetup {
  readonly page: Page
  constructor(page: Page) {
    this.page = page
  }

  async mode(which: 'List' | 'Spider'): Promise<void> {
    await this.page
      .getByRole('radiogroup', { name: 'Crawl mode' })
      .getByRole('radio', { name: which })
      .click()
  }

  get seeds(): Locator {
    return this.page.getByRole('textbox', { name: 'Seed URLs to spider from, one per line' })
  }

  /** Replaces the seeds with `text`, pasted. */
  async enterSeeds(text: string): Promise<void> {
    await pasteInto(this.seeds, text)
  }

  get demoSite(): Locator {
    return this.page.getByRole('button', { name: 'Demo site' })
  }

  /** Setup opened in spider mode, seeded with the demo site, to `maxDepth` links (not started). */
  async openDemoSite(appUrl: string, maxDepth: number): Promise<void> {
    await new SetupPage(this.page).open(appUrl)
    await this.mode('Spider')
    await this.demoSite.click()
    await expect(this.seeds).toHaveText(/\/site\/$/)
    await this.field('Max depth').fill(String(maxDepth))
  }

  get scopeGroup(): Locator {
    return this.page.getByRole('group', { name: 'Follow links to' })
  }

  scopeChoice(label: 'Same host' | 'Same site' | 'Any host'): Locator {
    return this.scopeGroup.getByRole('radio', { name: new RegExp(`^${label}`) })
  }

  /** A text setting by its label. */
  field(label: string): Locator {
    return this.page.getByRole('main').getByRole('textbox', { name: label, exact: true })
  }

  checkbox(label: string): Locator {
    return this.page.getByRole('main').getByRole('checkbox', { name: label, exact: true })
  }

  /** Opens a collapsed settings group (Politeness starts closed). */
  async openGroup(title: string): Promise<void> {
    const group = this.page.locator('details.setting-group', {
      has: this.page.locator('summary', { hasText: title })
    })
    if ((await group.getAttribute('open')) === null) await group.locator('summary').click()
  }
}
