import Link from 'next/link'

type Props = { title: string; body: string; link: { href: string; label: string } }

/** The 404 card, for both 404 pages (app/global-not-found.tsx and app/not-found.tsx). */
export function NotFoundCard({ title, body, link }: Props) {
  return (
    <main id="main" className="status-main">
      <div className="card status-card">
        <p className="status-code" aria-hidden="true">
          404
        </p>
        <h1>{title}</h1>
        <p>{body}</p>
        <Link href={link.href} className="button button-primary">
          {link.label}
        </Link>
      </div>
    </main>
  )
}
