import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

// The palette is written once, as `--token: light-dark(#light, #dark)`, in the stylesheets below.
// This reads those declarations (hex values only: a token in another form is simply not read, and a
// pair that names it fails as missing) and checks the WCAG 2.1 AA pairs in both themes.
const SHEETS = ['../app/globals.css', '../app/(app)/api-docs/api-docs.module.css']
const DECLARATION = /--([\w-]+)\s*:\s*light-dark\(\s*(#[0-9a-f]{6})\s*,\s*(#[0-9a-f]{6})\s*\)/gi

type Theme = 'light' | 'dark'

function readTokens(): Map<string, Record<Theme, string>> {
  const tokens = new Map<string, Record<Theme, string>>()
  for (const sheet of SHEETS) {
    const css = readFileSync(new URL(sheet, import.meta.url), 'utf8')
    for (const [, name, light, dark] of css.matchAll(DECLARATION)) {
      if (tokens.has(name!)) throw new Error(`--${name} is defined twice`)
      tokens.set(name!, { light: light!, dark: dark! })
    }
  }
  return tokens
}

/** WCAG 2.1 relative luminance of a #rrggbb colour. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const channel = parseInt(hex.slice(i, i + 2), 16) / 255
    return channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4
  })
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!
}

function contrast(a: string, b: string): number {
  const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x)
  return (high! + 0.05) / (low! + 0.05)
}

const TEXT = 4.5 // normal-size text
const NON_TEXT = 3 // UI component boundaries, focus indicators, the checkbox tick

// [foreground, background, minimum]: every pair some rule in the stylesheets draws.
const PAIRS: [string, string, number][] = [
  ['text', 'bg', TEXT],
  ['text', 'surface', TEXT],
  ['text', 'surface-muted', TEXT],
  ['text', 'accent-soft', TEXT], // .form-notice
  ['text-muted', 'bg', TEXT],
  ['text-muted', 'surface', TEXT],
  ['text-muted', 'surface-muted', TEXT], // footer, table headings
  ['accent', 'bg', TEXT],
  ['accent', 'surface', TEXT],
  ['accent', 'surface-muted', TEXT],
  ['accent', 'accent-soft', TEXT], // current nav link, GET badge
  ['accent-hover', 'surface', TEXT],
  ['accent-contrast', 'accent', TEXT], // primary button
  ['accent-contrast', 'accent-hover', TEXT],
  ['danger', 'surface', TEXT],
  ['danger', 'danger-soft', TEXT], // form alert, DELETE badge
  ['danger-contrast', 'danger', TEXT], // danger button
  ['success', 'surface', TEXT],
  ['success', 'success-soft', TEXT], // verified badge, success notice, POST badge
  ['method-patch', 'method-patch-soft', TEXT], // PATCH badge
  ['success-contrast', 'success', NON_TEXT], // the tick in a done checkbox
  ['success', 'surface', NON_TEXT], // a done checkbox
  ['border-strong', 'surface', NON_TEXT], // inputs, checkboxes
  ['border-strong', 'bg', NON_TEXT],
  ['border-strong', 'surface-muted', NON_TEXT],
  ['focus', 'bg', NON_TEXT],
  ['focus', 'surface', NON_TEXT],
  ['focus', 'surface-muted', NON_TEXT],
  ['focus', 'accent-soft', NON_TEXT],
]

describe('contrast', () => {
  it('measures as WCAG defines it', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5)
    expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 2)
    expect(contrast('#ffffff', '#777777')).toBe(contrast('#777777', '#ffffff'))
  })
})

describe('theme tokens', () => {
  const tokens = readTokens()

  it('are read from the stylesheets', () => {
    expect(tokens.size).toBeGreaterThanOrEqual(20)
  })

  it('are defined once: no prefers-color-scheme block repeats the palette', () => {
    for (const sheet of SHEETS) {
      expect(readFileSync(new URL(sheet, import.meta.url), 'utf8')).not.toMatch(/@media[^{]*prefers-color-scheme/)
    }
  })

  for (const theme of ['light', 'dark'] as const) {
    it.each(PAIRS)(`${theme}: --%s on --%s reaches %d:1`, (foreground, background, minimum) => {
      const fg = tokens.get(foreground)?.[theme]
      const bg = tokens.get(background)?.[theme]
      expect(fg, `--${foreground}`).toBeDefined()
      expect(bg, `--${background}`).toBeDefined()
      expect(contrast(fg!, bg!)).toBeGreaterThanOrEqual(minimum)
    })
  }
})
