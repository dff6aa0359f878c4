'use client'
import { useFormStatus } from 'react-dom'

/** A submit button that says what is happening while its form's action runs. */
export function SubmitButton({ children, pendingText }: { children: React.ReactNode; pendingText: string }) {
  const { pending } = useFormStatus()
  return (
    <button type="submit" className="button button-primary" disabled={pending} aria-disabled={pending}>
      {pending ? pendingText : children}
    </button>
  )
}
