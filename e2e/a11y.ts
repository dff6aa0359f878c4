import AxeBuilder from '@axe-core/playwright'
import { expect, type Locator, type Page } from '@playwright/test'

/** The rules we hold every page to: WCAG 2.1, levels A and AA. */
const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']

/** Runs axe on the page as it is now and fails with a readable list of what it found. */
export async function expectNoAxeViolations(page: Page, where: string) {
  // After a client-side navigation the new title arrives with the page's data: wait for it.
  await expect(page).toHaveTitle(/\S/)
  const results = await new AxeBuilder({ page }).withTags(WCAG_21_AA).analyze()
  const found = results.violations.map(
    (violation) =>
      `${violation.id} (${violation.impact}): ${violation.help}\n` +
      violation.nodes.map((node) => `    ${node.target.join(' ')}: ${node.failureSummary?.split('\n')[1] ?? ''}`).join('\n'),
  )
  expect(found, `axe on ${where}`).toEqual([])
}

/** Whether the focused element shows a focus indicator someone can see (an outline or a box shadow). */
export async function expectVisibleFocus(page: Page) {
  const ring = await page.evaluate(() => {
    const element = document.activeElement
    if (!element || element === document.body) return { focused: false, visible: false, label: 'body' }
    const style = getComputedStyle(element)
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2
    const shadow = style.boxShadow !== 'none'
    const label = `${element.tagName.toLowerCase()} ${element.getAttribute('aria-label') ?? element.textContent?.trim().slice(0, 40) ?? ''}`
    return { focused: true, visible: outline || shadow, label }
  })
  expect(ring, `focus ring on ${ring.label}`).toEqual({ focused: true, visible: true, label: ring.label })
}

/**
 * Presses Tab (or Shift+Tab) until `target` has the focus, checking the focus ring at every stop:
 * the way a keyboard user gets there. Fails after `limit` presses.
 */
export async function tabTo(page: Page, target: Locator, { backwards = false, limit = 40 } = {}) {
  for (let presses = 0; presses < limit; presses++) {
    if (await target.evaluate((element) => element === document.activeElement).catch(() => false)) return
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab')
    // Past either end of the page, the focus leaves for the browser's own controls (the document
    // reports body) and the next press comes back in: nothing of ours to check there.
    if (await page.evaluate(() => document.activeElement === document.body)) continue
    await expectVisibleFocus(page)
  }
  throw new Error(`${target} not reached with ${limit} presses of ${backwards ? 'Shift+Tab' : 'Tab'}`)
}
