import { useFormatter, useTranslations } from 'next-intl'
import { Fragment } from 'react'
import type { SchemaObject } from '@/lib/openapi'
import styles from '../api-docs.module.css'
import { Prose } from './prose'

type Field = { name: string; schema: SchemaObject; required: boolean }

export const schemaAnchor = (name: string) => `schema-${name}`
export const refName = (ref: string) => ref.split('/').pop() ?? ref

const asSchema = (value: unknown): SchemaObject | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as SchemaObject) : undefined

/** An object schema's fields; an array of inline objects lists its items' fields too, as `name[].field`. */
export function fieldsOf(schema: SchemaObject, prefix = ''): Field[] {
  const required = new Set(schema.required ?? [])
  return Object.entries(schema.properties ?? {}).flatMap(([name, value]) => {
    const property = asSchema(value)
    if (!property) return []
    const field = { name: prefix + name, schema: property, required: required.has(name) }
    const items = asSchema(property.items)
    return items?.properties ? [field, ...fieldsOf(items, `${field.name}[].`)] : [field]
  })
}

/**
 * The type as a reader would say it: `string`, `"ASC" | "DESC"`, array of Todo (linked). JSON's type
 * names (`string`, `integer`, …) stay as the schema spells them; the words around them are translated.
 */
export function TypeLabel({ schema }: { schema: SchemaObject }) {
  const t = useTranslations('apiDocs.types')
  const format = useFormatter()
  if (typeof schema.$ref === 'string') {
    const name = refName(schema.$ref)
    return <a href={`#${schemaAnchor(name)}`}>{name}</a>
  }
  const options = schema.enum ?? (schema.const !== undefined ? [schema.const] : undefined)
  if (options) {
    return <Alternatives items={options.map((option) => <code key={String(option)}>{JSON.stringify(option)}</code>)} />
  }
  if (schema.anyOf) {
    return <Alternatives items={schema.anyOf.map((option, index) => <TypeLabel key={index} schema={option} />)} />
  }
  if (schema.type === 'array') {
    const items = asSchema(schema.items)
    if (!items) return t('array')
    if (items.type === 'object' && !items.$ref) return t('arrayOfObjects')
    const several = Boolean(items.anyOf ?? items.enum)
    return t.rich('arrayOf', {
      item: () => (
        <>
          {several ? '(' : null}
          <TypeLabel schema={items} />
          {several ? ')' : null}
        </>
      ),
    })
  }
  if (Array.isArray(schema.type)) return format.list(schema.type, { type: 'disjunction' })
  return schema.type ?? t('any')
}

function Alternatives({ items }: { items: React.ReactNode[] }) {
  return items.map((item, index) => (
    <Fragment key={index}>
      {index > 0 ? ' | ' : null}
      {item}
    </Fragment>
  ))
}

/** The constraints the schema states, for people: lengths, pattern, sign, default. */
export function Rules({ schema }: { schema: SchemaObject }) {
  const t = useTranslations('apiDocs.rules')
  const code = (chunks: React.ReactNode) => <code>{chunks}</code>
  const found: React.ReactNode[] = []
  const { minLength: min, maxLength: max } = schema
  if (min !== undefined && max !== undefined) found.push(t('lengthBetween', { min, max }))
  else if (min !== undefined) found.push(t('lengthAtLeast', { min }))
  else if (max !== undefined) found.push(t('lengthAtMost', { max }))
  if (schema.pattern) found.push(t.rich('pattern', { pattern: schema.pattern, code }))
  if (schema.exclusiveMinimum === 0) found.push(t('positive'))
  if ('default' in schema) found.push(t.rich('default', { value: JSON.stringify(schema.default), code }))
  if (found.length === 0) return null
  return (
    <span className={styles.rules}>
      {found.map((rule, index) => (
        <Fragment key={index}>
          {index > 0 ? ' · ' : null}
          {rule}
        </Fragment>
      ))}
    </span>
  )
}

/** A table of fields: name, type and whether it is required, then what it means. */
export function FieldTable({ fields, caption }: { fields: Field[]; caption: string }) {
  const t = useTranslations('apiDocs.fields')
  return (
    <div className={styles.tableWrap}>
      <table className={styles.table}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('name')}</th>
            <th scope="col">{t('description')}</th>
          </tr>
        </thead>
        <tbody>
          {fields.map((field) => (
            <tr key={field.name}>
              <th scope="row" className={styles.fieldCell}>
                <code className={styles.fieldName}>{field.name}</code>
                <span className={styles.fieldType}>
                  <TypeLabel schema={field.schema} />
                </span>
                <span className={field.required ? styles.required : styles.optional}>
                  {field.required ? t('required') : t('optional')}
                </span>
              </th>
              <td>
                <Prose text={field.schema.description} /> <Rules schema={field.schema} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
