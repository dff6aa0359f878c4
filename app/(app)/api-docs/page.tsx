import type { Metadata } from 'next'
import { headers } from 'next/headers'
import { getTranslations } from 'next-intl/server'
import { HTTP_METHODS, openApiDocument, resolveRef, type SchemaObject } from '@/lib/openapi'
import { requireUser } from '@/server/auth/session'
import styles from './api-docs.module.css'
import { Endpoint, MethodBadge } from './_components/endpoint'
import { FieldTable, fieldsOf, refName, schemaAnchor } from './_components/fields'
import { JsonExample, Prose } from './_components/prose'

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('apiDocs'))('title') }
}

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
  const [origin, t] = await Promise.all([siteOrigin(), getTranslations('apiDocs')])
  const code = (chunks: React.ReactNode) => <code>{chunks}</code>
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
        <h1 className={styles.title}>{t('title')}</h1>
        {/* The document's own prose is English, like the API's messages; this says so in the page's language. */}
        <p className="muted">{t('englishNote')}</p>
        <p>
          <Prose text={document.info.description} />
        </p>
        <p>{t.rich('baseUrl', { url: `${origin}/api`, code })}</p>
        <p className={styles.specLink}>
          <a href="/api/openapi.json" className="button button-quiet">
            {t('specLink', { path: '/api/openapi.json' })}
          </a>
        </p>

        <h2 className={styles.introHeading}>{t('token.heading')}</h2>
        <p>{t('token.logIn')}</p>
        <pre className={styles.code}>
          <code>
            {`curl -s -X POST \\\n  ${origin}/api/users/log-in \\\n` +
              `  -H 'Content-Type: application/json' \\\n` +
              `  -d '{"username": "${viewer.username}", "password": "…"}'`}
          </code>
        </pre>
        <p>{t.rich('token.use', { code })}</p>
        <pre className={styles.code}>
          <code>Authorization: Bearer &lt;token&gt;</code>
        </pre>

        <h2 className={styles.introHeading}>{t('errors.heading')}</h2>
        <p>{t.rich('errors.body', { shape: '{"detail": "…"}', code })}</p>
        {validationExample === undefined ? null : <JsonExample value={validationExample} />}
      </div>

      <nav aria-labelledby="endpoints-heading" className={styles.toc}>
        <h2 id="endpoints-heading">{t('endpoints')}</h2>
        <ul>
          {operations.map(({ path, method, operation }) => (
            <li key={operation.operationId}>
              <a href={`#${operation.operationId}`}>
                <MethodBadge method={method} /> <code>{path}</code>
              </a>
              <span className={styles.tocSummary} lang="en">
                {operation.summary}
              </span>
            </li>
          ))}
        </ul>
      </nav>

      {document.tags.map((tag) => (
        <section key={tag.name} aria-labelledby={`tag-${tag.name}`} className={styles.group}>
          <h2 id={`tag-${tag.name}`} className={styles.groupHeading} lang="en">
            {tag.name.charAt(0).toUpperCase() + tag.name.slice(1)}
          </h2>
          <p className={styles.groupDescription} lang="en">
            {tag.description}
          </p>
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
          {t('responseBodies')}
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
              <FieldTable fields={fieldsOf(schema)} caption={t('fields.caption', { name })} />
            </section>
          )
        })}
      </section>
    </div>
  )
}
