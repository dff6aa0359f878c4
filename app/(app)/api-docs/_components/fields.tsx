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

/** The type as a reader would say it: `string`, `"ASC" | "DESC"`, array of Todo (linked). */
export function TypeLabel({ schema }: { schema: SchemaObject }) {
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
    if (!items) return 'array'
    if (items.type === 'object' && !items.$ref) return 'array of objects'
    const several = Boolean(items.anyOf ?? items.enum)
    return (
      <>
        array of {several ? '(' : null}
        <TypeLabel schema={items} />
        {several ? ')' : null}
      </>
    )
  }
  return Array.isArray(schema.type) ? schema.type.join(' or ') : (schema.type ?? 'any')
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
function rules(schema: SchemaObject): string[] {
  const found: string[] = []
  const { minLength: min, maxLength: max } = schema
  if (min !== undefined && max !== undefined) found.push(`${min}–${max} characters`)
  else if (min !== undefined) found.push(`at least ${min} characters`)
  else if (max !== undefined) found.push(`at most ${max} characters`)
  if (schema.pattern) found.push(`matches \`${schema.pattern}\``)
  if (schema.exclusiveMinimum === 0) found.push('positive')
  if ('default' in schema) found.push(`default \`${JSON.stringify(schema.default)}\``)
  return found
}

export function Rules({ schema }: { schema: SchemaObject }) {
  const found = rules(schema)
  if (found.length === 0) return null
  return (
    <span className={styles.rules}>
      <Prose text={found.join(' · ')} />
    </span>
  )
}

/** A table of fields: name, type and whether it is required, then what it means. */
export function FieldTable({ fields, caption }: { fields: Field[]; caption: string }) {
  return (
    <div className={styles.tableWrap}>
      <table className={styles.table}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Description</th>
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
                  {field.required ? 'required' : 'optional'}
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
