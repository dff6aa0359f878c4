import type { Metadata } from 'next'
import { headers } from 'next/headers'
import { HTTP_METHODS, openApiDocument, resolveRef, type SchemaObject } from '@/lib/openapi'
import { requireUser } from '@/server/auth/session'
import styles from './api-docs.module.css'
import { Endpoint, MethodBadge } from './_components/endpoint'
import { FieldTable, fieldsOf, refName, schemaAnchor } from './_components/fields'
import { JsonExample, Prose } from './_components/prose'

export const metadata: Metadata = { title: 'API' }

/** The site's own address as the visitor reached it, so that the examples can be pasted as they are. */
async function siteOrigin(): Promise<string> {
  const requestHeaders = await headers()
  const host = requestHeaders.get('x-forwarded-host') ?? requestHeaders.get('host') ?? 'localhost:3000'
  const protocol = requestHeaders.get('x-forwarded-proto') ?? 'https'
  return `${protocol.split(',')[0]?.trim()}://${host.split(',')[0]?.trim()}`
}

export default async function ApiDocsPage() {
  const viewer = await requireUser()
  const document = openApiDocument()
  const origin = await siteOrigin()
  const validationExample = document.components.responses.ValidationError?.content?.['application/json'].example

  const operations = Object.entries(document.paths).flatMap(([path, item]) =>
    HTTP_METHODS.flatMap((method) => {
      const operation = item[method]
      return operation ? [{ path, method, operation }] : []
    }),
  )
  // Response bodies get their own section, linked from each endpoint; request bodies are shown in place.
  const inResponses = new Set(
    operations.flatMap(({ operation }) =>
      Object.values(operation.responses).flatMap((value) => {
        const schema = resolveRef(document, value).content?.['application/json'].schema
        return typeof schema?.$ref === 'string' ? [refName(schema.$ref)] : []
      }),
    ),
  )
  const responseSchemas = Object.keys(document.components.schemas).filter((name) => inResponses.has(name))

  return (
    <div className={styles.page}>
      <div className={`card ${styles.intro}`}>
        <h1 className={styles.title}>API</h1>
        <p>
          <Prose text={document.info.description} />
        </p>
        <p>
          Base URL: <code>{origin}/api</code>
        </p>
        <p className={styles.specLink}>
          <a href="/api/openapi.json" className="button button-quiet">
            OpenAPI 3.1 document (/api/openapi.json)
          </a>
        </p>

        <h2 className={styles.introHeading}>Getting a token</h2>
        <p>Log in with your username and password:</p>
        <pre className={styles.code}>
          <code>
            {`curl -s -X POST \\\n  ${origin}/api/users/log-in \\\n` +
              `  -H 'Content-Type: application/json' \\\n` +
              `  -d '{"username": "${viewer.username}", "password": "…"}'`}
          </code>
        </pre>
        <p>
          The answer’s <code>access_token</code> is valid for one day. Send it with every request to{' '}
          <code>/api/todos</code>:
        </p>
        <pre className={styles.code}>
          <code>Authorization: Bearer &lt;token&gt;</code>
        </pre>

        <h2 className={styles.introHeading}>Errors</h2>
        <p>
          An error answers <code>{'{"detail": "…"}'}</code> with a sentence. Invalid input (422) lists each problem
          instead: where it is and what is wrong.
        </p>
        {validationExample === undefined ? null : <JsonExample value={validationExample} />}
      </div>

      <nav aria-labelledby="endpoints-heading" className={styles.toc}>
        <h2 id="endpoints-heading">Endpoints</h2>
        <ul>
          {operations.map(({ path, method, operation }) => (
            <li key={operation.operationId}>
              <a href={`#${operation.operationId}`}>
                <MethodBadge method={method} /> <code>{path}</code>
              </a>
              <span className={styles.tocSummary}>{operation.summary}</span>
            </li>
          ))}
        </ul>
      </nav>

      {document.tags.map((tag) => (
        <section key={tag.name} aria-labelledby={`tag-${tag.name}`} className={styles.group}>
          <h2 id={`tag-${tag.name}`} className={styles.groupHeading}>
            {tag.name.charAt(0).toUpperCase() + tag.name.slice(1)}
          </h2>
          <p className={styles.groupDescription}>{tag.description}</p>
          {operations
            .filter(({ operation }) => operation.tags.includes(tag.name))
            .map(({ path, method, operation }) => (
              <Endpoint
                key={operation.operationId}
                document={document}
                path={path}
                method={method}
                operation={operation}
              />
            ))}
        </section>
      ))}

      <section aria-labelledby="schemas-heading" className={styles.group}>
        <h2 id="schemas-heading" className={styles.groupHeading}>
          Response bodies
        </h2>
        {responseSchemas.map((name) => {
          const schema: SchemaObject | undefined = document.components.schemas[name]
          if (!schema) return null
          return (
            <section key={name} aria-labelledby={schemaAnchor(name)} className={`card ${styles.endpoint}`}>
              <h3 id={schemaAnchor(name)} className={styles.endpointTitle}>
                <code className={styles.path}>{name}</code>
              </h3>
              {schema.description ? (
                <p className={styles.summary}>
                  <Prose text={schema.description} />
                </p>
              ) : null}
              <FieldTable fields={fieldsOf(schema)} caption={`Fields of ${name}`} />
            </section>
          )
        })}
      </section>
    </div>
  )
}
