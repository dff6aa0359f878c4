import { ClientMessages } from '@/app/_components/client-messages'
import { PreferenceSwitchers } from '@/app/_components/preference-switchers'

export default function AuthLayout({ children }: { children: React.ReactNode }) {
  return (
    <main id="main" className="auth-main">
      <p className="brand brand-large" aria-hidden="true">
        todos
      </p>
      <div className="card auth-card">
        <ClientMessages namespaces={['auth']}>{children}</ClientMessages>
      </div>
      <PreferenceSwitchers placement="under-card" />
    </main>
  )
}
