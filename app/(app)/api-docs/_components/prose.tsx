import styles from '../api-docs.module.css'

/**
 * A description from the document: plain text in which `backticks` mark code, as in its Markdown.
 * The document is English whatever the page's language (like the API's messages), so it says so,
 * for screen readers to pronounce it as English.
 */
export function Prose({ text }: { text: string | undefined }) {
  if (!text) return null
  return (
    <span lang="en">
      {text.split('`').map((part, index) => (index % 2 === 1 ? <code key={index}>{part}</code> : part))}
    </span>
  )
}

const LINE = 64

function oneLine(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(oneLine).join(', ')}]`
  if (typeof value === 'object' && value !== null) {
    return `{${Object.entries(value).map(([key, item]) => `${JSON.stringify(key)}: ${oneLine(item)}`).join(', ')}}`
  }
  return JSON.stringify(value)
}

/** JSON as people write it: what fits on a line stays on one, so a short array is not spread over five. */
export function formatJson(value: unknown, indent = ''): string {
  const flat = oneLine(value)
  if (indent.length + flat.length <= LINE || typeof value !== 'object' || value === null) return flat
  const inner = indent + '  '
  const lines = Array.isArray(value)
    ? value.map((item) => inner + formatJson(item, inner))
    : Object.entries(value).map(([key, item]) => `${inner}${JSON.stringify(key)}: ${formatJson(item, inner)}`)
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}']
  return `${open}\n${lines.join(',\n')}\n${indent}${close}`
}

/** An example body: one line inline, more as a block (or nothing, when only one line will do). */
export function JsonExample({ value, inlineOnly = false }: { value: unknown; inlineOnly?: boolean }) {
  const text = formatJson(value)
  if (!text.includes('\n')) return <code className={styles.inlineJson}>{text}</code>
  if (inlineOnly) return null
  return (
    <pre className={styles.code}>
      <code>{text}</code>
    </pre>
  )
}
