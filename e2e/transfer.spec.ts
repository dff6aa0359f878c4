import { readFile } from 'node:fs/promises'
import { expect, seedTodos, test, todoTexts } from './fixtures'

// With created_at, so that importing it again is recognised and adds nothing.
const CSV = '\uFEFFcontents,is_done,created_at\r\n"Call mom, then dad",true,2026-11-30T08:00:00Z\r\n김치찌개 끓이기,false,2026-11-30T08:01:00Z\r\n'
const BAD_CSV = 'contents,repeat\nfine,\n,\nno due,FREQ=DAILY\n'
const file = (name: string, text: string, mimeType = 'text/csv') => ({ name, mimeType, buffer: Buffer.from(text) })

test.describe('Your data on the account page', () => {
  test('downloads JSON and CSV from the account page', async ({ page, account, signedIn }) => {
    expect(signedIn).toBeTruthy()
    await seedTodos(account, [{ contents: 'Buy milk' }, { contents: '장보기', isDone: true }])
    await page.goto('/account')
    const data = page.getByRole('region', { name: 'Your data' })
    await expect(data.getByText('2 of 10,000 todos in use, the trash included.')).toBeVisible()

    const json = data.getByRole('link', { name: 'Download your data (JSON, the trash included)' })
    await expect(json).toHaveAttribute('href', '/api/export')
    const [jsonDownload] = await Promise.all([page.waitForEvent('download'), json.click()])
    expect(jsonDownload.suggestedFilename()).toMatch(/^todos-\d{4}-\d{2}-\d{2}\.json$/)
    const body = JSON.parse(await readFile((await jsonDownload.path())!, 'utf8'))
    expect(body.todos.map((t: { contents: string }) => t.contents)).toEqual(['Buy milk', '장보기'])

    const csv = data.getByRole('link', { name: 'Download your data (CSV, for spreadsheets)' })
    const [csvDownload] = await Promise.all([page.waitForEvent('download'), csv.click()])
    expect(csvDownload.suggestedFilename()).toMatch(/^todos-\d{4}-\d{2}-\d{2}\.csv$/)
    const text = await readFile((await csvDownload.path())!, 'utf8')
    expect(text.startsWith('\uFEFFid,contents,is_done,')).toBe(true)
    expect(text).toContain(',장보기,true,')
  })
})

test.describe('the import form without JavaScript', () => {
  test.use({ javaScriptEnabled: false })

  test('imports a CSV, names the bad rows of another and saves none of it (English)', async ({ page, signedIn }) => {
    expect(signedIn).toBeTruthy()
    await page.goto('/account')
    await page.getByLabel('File (JSON or CSV)').setInputFiles(file('todos.csv', CSV))
    await page.getByRole('button', { name: 'Import', exact: true }).click()
    await expect(page.getByRole('status').filter({ hasText: '2 todos imported; none skipped.' })).toBeVisible()

    await page.getByLabel('File (JSON or CSV)').setInputFiles(file('todos.csv', CSV))
    await page.getByRole('button', { name: 'Import', exact: true }).click()
    await expect(page.getByText('0 todos imported; 2 skipped (already in your list).')).toBeVisible()

    await page.getByLabel('File (JSON or CSV)').setInputFiles(file('bad.csv', BAD_CSV))
    await page.getByRole('button', { name: 'Import', exact: true }).click()
    const alert = page.getByRole('alert').filter({ hasText: 'Nothing was imported.' })
    await expect(alert).toContainText('2 problems found')
    await expect(alert.getByRole('listitem')).toHaveText([
      'Row 2, contents: Enter what needs to be done',
      'Row 3, repeat: A repeating todo needs a due date',
    ])
    await expect(page.getByLabel('File (JSON or CSV)')).toHaveAttribute('aria-invalid', 'true')
    await page.screenshot({ path: 'test-results/transfer-account-en.png', fullPage: true })

    await page.goto('/todos')
    await expect(todoTexts(page)).toHaveText(['Call mom, then dad', '김치찌개 끓이기'])
  })

  test.describe('in Korean', () => {
    test.use({ locale: 'ko-KR' })

    test('imports and reports in Korean', async ({ page, signedIn }) => {
      expect(signedIn).toBeTruthy()
      await page.goto('/account')
      const data = page.getByRole('region', { name: '내 데이터' })
      await expect(data.getByRole('link', { name: '내 데이터 내려받기 (CSV, 스프레드시트용)' })).toHaveAttribute(
        'href',
        '/api/export?format=csv',
      )
      await page.getByLabel('파일 (JSON 또는 CSV)').setInputFiles(file('todos.csv', CSV))
      await page.getByRole('button', { name: '가져오기', exact: true }).click()
      await expect(page.getByText('할 일 2개를 가져왔어요. 건너뛴 항목은 없어요.')).toBeVisible()

      await page.getByLabel('파일 (JSON 또는 CSV)').setInputFiles(file('bad.csv', BAD_CSV))
      await page.getByRole('button', { name: '가져오기', exact: true }).click()
      const alert = page.getByRole('alert').filter({ hasText: '아무것도 가져오지 않았어요.' })
      await expect(alert.getByRole('listitem')).toHaveText([
        /^2행, contents: /,
        /^3행, repeat: /,
      ])
      await page.screenshot({ path: 'test-results/transfer-account-ko.png', fullPage: true })
    })
  })
})
