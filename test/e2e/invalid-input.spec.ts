import { expect, shot, test } from './fixtures.ts'
import { SetupPage } from './pages.ts'

test('an invalid URL list is rejected with line numbers and reasons before the run', async ({
  page,
  app
}) => {
  const setup = new SetupPage(page)
  await setup.open(app.url)
  await setup.enterUrls(
    ['# my list', 'ftp://files.example/a', 'not a url', 'http://', 'mailto:x@y.z'].join('\n')
  )
  const invalid = setup.invalidLines
  await expect(invalid).toContainText('line 2: unsupported scheme "ftp:"')
  await expect(invalid).toContainText('line 3:')
  await expect(invalid).toContainText('line 4:')
  await expect(invalid).toContainText('line 5: unsupported scheme "mailto:"')
  await expect(setup.startButton).toBeDisabled()
  await shot(page, '09-invalid-lines')

  // One good line makes the list usable; the bad ones stay listed.
  const { origin } = await app.backend.startDemoTarget()
  await setup.urls.press('End')
  await setup.urls.pressSequentially(`\n${origin}/page/1`)
  await expect(setup.startButton).toBeEnabled()
  await expect(invalid).toContainText('line 2: unsupported scheme "ftp:"')

  // A bad setting is named next to its field and blocks the start.
  await setup.setNumber('Concurrency', 0)
  await expect(page.getByRole('main')).toContainText(/Concurrency|concurrency/)
  await expect(setup.startButton).toBeDisabled()
})
