// The list's line icons: one 20×20 stroked path each, in the text colour, hidden from assistive
// technology (the buttons and images that hold them carry the names).

type LineIconProps = { d: string; size: 16 | 18; strokeWidth?: number; strokeLinecap?: 'round' }

function LineIcon({ d, size, strokeWidth = 1.6, strokeLinecap = 'round' }: LineIconProps) {
  return (
    <svg viewBox="0 0 20 20" width={size} height={size} aria-hidden="true" focusable="false">
      <path d={d} fill="none" stroke="currentColor" strokeWidth={strokeWidth} strokeLinejoin="round" strokeLinecap={strokeLinecap} />
    </svg>
  )
}

export const PencilIcon = () => <LineIcon size={18} d="M13.6 3.6a2 2 0 0 1 2.8 2.8l-9 9-3.9 1.1 1.1-3.9 9-9Z" />

export const CrossIcon = () => <LineIcon size={18} strokeWidth={1.8} d="M5 5l10 10M15 5 5 15" />

export const CalendarIcon = () => (
  <LineIcon
    size={18}
    d="M4 6.5A1.5 1.5 0 0 1 5.5 5h9A1.5 1.5 0 0 1 16 6.5v8a1.5 1.5 0 0 1-1.5 1.5h-9A1.5 1.5 0 0 1 4 14.5v-8ZM4 8.5h12M7 3.5v3M13 3.5v3"
  />
)

export const BellIcon = () => (
  <LineIcon size={16} d="M10 3a4.5 4.5 0 0 0-4.5 4.5V11L4 13.5h12L14.5 11V7.5A4.5 4.5 0 0 0 10 3ZM8.3 15.5a1.8 1.8 0 0 0 3.4 0" />
)

export const RepeatIcon = () => (
  <LineIcon size={16} d="M4 9V8a3 3 0 0 1 3-3h8m-2.5-2.5L15 5l-2.5 2.5M16 11v1a3 3 0 0 1-3 3H5m2.5 2.5L5 15l2.5-2.5" />
)
