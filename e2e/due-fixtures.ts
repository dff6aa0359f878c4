import { createAccount, database, seedTodos, type Account } from './fixtures'

// Arranging todos with due dates faster than the editor could: in the database, before the
// account's first log-in, so that no cached list can hide them.

/** A fixed-offset IANA zone (Etc/GMT-5 is UTC+5) where the local hour is 12 or so. */
export function middayZone(): { zone: string; offset: number } {
  const offset = 12 - new Date().getUTCHours()
  return { zone: offset === 0 ? 'UTC' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`, offset }
}

/** The instant of a wall-clock time `days` from today in a zone `offset` hours east of UTC. */
export function localTime(offset: number, days: number, hour: number, minute = 0): Date {
  const local = new Date(Date.now() + offset * 3_600_000)
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + days, hour - offset, minute))
}

const sqlTime = (date: Date | null) => (date ? date.toISOString().slice(0, 19).replace('T', ' ') : null)

type Due = { contents: string; isDone?: boolean; dueAt?: Date | null; remindAt?: Date | null; repeat?: string | null }

/** An account in `zone` with these todos, arranged before its first log-in (so nothing is cached yet). */
export async function accountWithDueTodos(zone: string, todos: Due[]): Promise<Account> {
  const account = await createAccount('due')
  await database().execute('UPDATE `user` SET time_zone = ? WHERE id = ?', [zone, account.id])
  await seedTodos(account, todos)
  for (const todo of todos) {
    await database().execute('UPDATE todo SET due_at = ?, remind_at = ?, `repeat` = ? WHERE user_id = ? AND contents = ?', [
      sqlTime(todo.dueAt ?? null),
      sqlTime(todo.remindAt ?? null),
      todo.repeat ?? null,
      account.id,
      todo.contents,
    ])
  }
  return account
}

