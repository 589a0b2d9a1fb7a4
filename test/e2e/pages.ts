import type { Locator, Page } from '@playwright/test'

/** Page objects: what a person reads and clicks, by role and label. */

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
      .getByRole('textbox', { name: 'Concurrency' })
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
