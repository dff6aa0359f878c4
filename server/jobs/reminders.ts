// stand-in until R lands
import 'server-only'

/** (Re)schedules or cancels the reminder of one todo from its current row. Stand-in: does nothing. */
export async function syncReminder(_todoId: number): Promise<void> {}

/** The same for several todos. Stand-in: does nothing. */
export async function syncReminders(_todoIds: readonly number[]): Promise<void> {}
