import { useTranslations } from 'next-intl'
import { Fragment } from 'react'
import { resolveRef, type HttpMethod, type OpenApiDocument, type Operation, type ResponseObject } from '@/lib/openapi'
import styles from '../api-docs.module.css'
import { FieldTable, fieldsOf, Rules, TypeLabel } from './fields'
import { formatJson, JsonExample, Prose } from './prose'

export function MethodBadge({ method }: { method: HttpMethod }) {
  return <span className={`${styles.method} ${styles[method] ?? ''}`}>{method.toUpperCase()}</span>
}

/** One operation of the document, as a card: what it does, what it takes, what it answers. */
export function Endpoint({
  document,
  path,
  method,
  operation,
}: {
  document: OpenApiDocument
  path: string
  method: HttpMethod
  operation: Operation
}) {
  const headingId = operation.operationId
  const body = operation.requestBody?.content['application/json']
  const bodySchema = body ? resolveRef(document, body.schema) : undefined
  const needsToken = operation.security.length > 0
  const t = useTranslations('apiDocs')
  const code = (chunks: React.ReactNode) => <code>{chunks}</code>
  const name = `${method.toUpperCase()} ${path}`
  return (
    <section className={`card ${styles.endpoint}`} aria-labelledby={headingId}>
      <h3 id={headingId} className={styles.endpointTitle}>
        <MethodBadge method={method} /> <code className={styles.path}>{path}</code>
      </h3>
      <p className={styles.summary} lang="en">
        {operation.summary}.{operation.description ? ' ' : null}
        <Prose text={operation.description} />
      </p>
      <p className={needsToken ? styles.authNeeded : styles.authNone}>
        {needsToken ? t.rich('needsToken', { header: 'Authorization: Bearer <token>', code }) : t('noToken')}
      </p>

      {operation.parameters?.length ? (
        <>
          <h4 className={styles.subheading}>{t('parameters.heading')}</h4>
          <div className={styles.tableWrap}>
            <table className={styles.table}>
              <caption className="visually-hidden">{t('parameters.caption', { operation: name })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('parameters.name')}</th>
                  <th scope="col">{t('parameters.description')}</th>
                </tr>
              </thead>
              <tbody>
                {operation.parameters.map((parameter) => (
                  <tr key={`${parameter.in}-${parameter.name}`}>
                    <th scope="row" className={styles.fieldCell}>
                      <code className={styles.fieldName}>{parameter.name}</code>
                      <span className={styles.fieldType}>
                        <TypeLabel schema={parameter.schema} />, {t('parameters.location', { location: parameter.in })}
                      </span>
                      <span className={parameter.required ? styles.required : styles.optional}>
                        {parameter.required ? t('fields.required') : t('fields.optional')}
                      </span>
                    </th>
                    <td>
                      <Prose text={parameter.description} /> <Rules schema={parameter.schema} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}

      {body && bodySchema ? (
        <>
          <h4 className={styles.subheading}>{t('requestBody.heading')}</h4>
          <p className={styles.note}>
            {t.rich('requestBody.format', { header: 'Content-Type: application/json', code })}
            {bodySchema.description ? ' ' : null}
            <Prose text={bodySchema.description} />
          </p>
          <FieldTable fields={fieldsOf(bodySchema)} caption={t('requestBody.caption', { operation: name })} />
          {body.example !== undefined ? (
            <div className={styles.example}>
              <span className={styles.exampleLabel}>{t('requestBody.example')}</span>
              <JsonExample value={body.example} />
            </div>
          ) : null}
        </>
      ) : null}

      <h4 className={styles.subheading}>{t('responses.heading')}</h4>
      <div className={styles.tableWrap}>
        <table className={`${styles.table} ${styles.responses}`}>
          <colgroup>
            <col className={styles.statusColumn} />
            <col />
          </colgroup>
          <caption className="visually-hidden">{t('responses.caption', { operation: name })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('responses.status')}</th>
              <th scope="col">{t('responses.meaning')}</th>
            </tr>
          </thead>
          <tbody>
            {Object.entries(operation.responses).map(([status, value]) => {
              const response = resolveRef<ResponseObject>(document, value)
              const content = response.content?.['application/json']
              const headers = Object.keys(response.headers ?? {})
              const success = status.startsWith('2')
              // Error examples only when they fit on a line: the long validation one is in the intro.
              const example = content?.example === undefined ? null : formatJson(content.example)
              const showExample = example !== null && (success || !example.includes('\n'))
              return (
                <tr key={status}>
                  <th scope="row">
                    <span className={success ? styles.statusOk : styles.statusError}>{status}</span>
                  </th>
                  <td>
                    <Prose text={response.description} />
                    {content ? (
                      <span className={styles.responseBody}>
                        <TypeLabel schema={content.schema} />
                        {showExample ? (
                          <>
                            , {t('responses.example')} <JsonExample value={content.example} />
                          </>
                        ) : null}
                      </span>
                    ) : null}
                    {headers.length ? (
                      <span className={styles.responseBody}>
                        {t('responses.headers', { count: headers.length })}{' '}
                        {headers.map((name, index) => (
                          <Fragment key={name}>
                            {index > 0 ? ', ' : null}
                            <code>{name}</code>
                          </Fragment>
                        ))}
                      </span>
                    ) : null}
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>
    </section>
  )
}
