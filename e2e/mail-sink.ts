// A real SMTP listener for the end-to-end suite, run by Playwright as one of its web servers: the app
// instances send their mail here (SMTP_URL), and tests read what arrived over HTTP:
//   GET /messages?to=<address>  → [{ to, subject, text, html, date }] (oldest first)
import { createServer } from 'node:http'
import { simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'

const SMTP_PORT = Number(process.env.MAIL_SINK_SMTP_PORT ?? 3125)
const HTTP_PORT = Number(process.env.MAIL_SINK_HTTP_PORT ?? 3126)

type Received = { to: string[]; subject: string; text: string; html: string; date: string }
const inbox: Received[] = []

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onData(stream, _session, callback) {
    simpleParser(stream)
      .then((mail) => {
        const to = [mail.to].flat().flatMap((address) => address?.value.map((v) => v.address ?? '') ?? [])
        inbox.push({
          to: to.map((address) => address.toLowerCase()),
          subject: mail.subject ?? '',
          text: mail.text ?? '',
          html: typeof mail.html === 'string' ? mail.html : '',
          date: new Date().toISOString(),
        })
        callback()
      })
      .catch(callback)
  },
})
smtp.listen(SMTP_PORT, '127.0.0.1')

createServer((request, response) => {
  const url = new URL(request.url ?? '/', `http://localhost:${HTTP_PORT}`)
  if (url.pathname === '/messages') {
    const to = url.searchParams.get('to')?.toLowerCase()
    response.setHeader('content-type', 'application/json')
    response.end(JSON.stringify(to ? inbox.filter((mail) => mail.to.includes(to)) : inbox))
    return
  }
  response.statusCode = url.pathname === '/' ? 200 : 404
  response.end('mail sink')
}).listen(HTTP_PORT, '127.0.0.1')
