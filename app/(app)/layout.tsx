import { AppHeader } from '@/app/_components/app-header'
import { requireUser } from '@/server/auth/session'

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const viewer = await requireUser()
  return (
    <>
      <AppHeader viewer={viewer} />
      <main id="main" className="app-main">
        {children}
      </main>
    </>
  )
}
