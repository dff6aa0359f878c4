const formatter = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'medium' })

/** "25 Nov 2026, 16:19:07", in the server's time zone (this page is for the developer's own machine). */
export function formatTime(iso: string): string {
  return formatter.format(new Date(iso))
}
