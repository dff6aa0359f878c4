/** A form-level message, announced when it appears. */
export function FormAlert({ message }: { message?: string }) {
  if (!message) return null
  return (
    <p className="form-alert" role="alert">
      {message}
    </p>
  )
}
