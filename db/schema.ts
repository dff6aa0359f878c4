import { relations } from 'drizzle-orm'
import {
  boolean,
  date,
  datetime,
  index,
  int,
  mysqlTable,
  text,
  tinyint,
  timestamp,
  uniqueIndex,
  varbinary,
  varchar,
} from 'drizzle-orm/mysql-core'

// A username is kept as typed (NFC); names compare by username_key, lib/validation/username-key.ts
// (NFKC and case folding: `ｍｉｎｊｉ`, `MINJI` and `minji` are one name), whose unique index
// decides a race between two sign-ups. The key is VARBINARY so that the index compares it byte
// for byte: the database's utf8mb4_unicode_ci would also equate `José` with `Jose` and every two
// characters outside the BMP. See docs/decisions/0008-unicode-usernames.md.
export const user = mysqlTable(
  'user',
  {
    id: int().autoincrement().primaryKey(),
    username: varchar({ length: 32 }).notNull(),
    // USERNAME_KEY_MAX_BYTES: the schema refuses a name whose key would not fit.
    usernameKey: varbinary('username_key', { length: 512 }).notNull(),
    // An argon2id PHC string ($argon2id$v=19$m=19456,t=2,p=1$salt$hash): about 97 characters.
    password: varchar({ length: 255 }).notNull(),
    email: varchar({ length: 320 }),
    emailVerifiedAt: timestamp('email_verified_at'),
    // Every session and API token carries the version it was issued under; bumping it ("log out
    // everywhere", a password change) ends them all at once.
    sessionVersion: int('session_version').notNull().default(0),
    // The language pages and emails use ('en' | 'ko'); null until the user chooses (accounts made
    // before languages existed), when the browser's cookie or Accept-Language decides.
    locale: varchar({ length: 8 }),
    // 'system' follows the browser's prefers-color-scheme; 'light' and 'dark' override it.
    theme: varchar({ length: 8 }).notNull().default('system'),
    // IANA name ('Asia/Seoul'): dates typed and shown are in it, and repeat rules step in it.
    timeZone: varchar('time_zone', { length: 64 }).notNull().default('UTC'),
    // The morning summary: the local hour (0-23) it goes out at, null when off; and the local date
    // (in time_zone) of the last one claimed, so one sweep sends at most one a day
    // (docs/decisions/0010-reminders.md).
    summaryHour: tinyint('summary_hour'),
    summarySentOn: date('summary_sent_on', { mode: 'string' }),
    createdAt: timestamp('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('user_username_key_unique').on(t.usernameKey),
    uniqueIndex('user_email_unique').on(t.email),
  ],
)

export const todo = mysqlTable(
  'todo',
  {
    id: int().autoincrement().primaryKey(),
    contents: varchar({ length: 256 }).notNull(),
    isDone: boolean('is_done').notNull().default(false),
    userId: int('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    // Instants in UTC (the pool reads and writes DATETIME as UTC), to the second. DATETIME rather
    // than TIMESTAMP: no 2038 limit and no session-zone conversion.
    dueAt: datetime('due_at', { mode: 'date' }),
    remindAt: datetime('remind_at', { mode: 'date' }),
    // An RFC 5545 RRULE of the subset lib/repeat.ts accepts, anchored at due_at (see there for COUNT).
    repeat: varchar({ length: 255 }),
    // The reminder's bookkeeping, MariaDB being the record of what was sent: the remind_at whose
    // email was handed to the email queue (claimed by one conditional UPDATE), and the one whose
    // email SMTP accepted. A reschedule makes remind_at differ from both, so it fires again.
    reminderQueuedFor: datetime('reminder_queued_for', { mode: 'date' }),
    reminderSentFor: datetime('reminder_sent_for', { mode: 'date' }),
    // When the todo was moved to the trash (UTC); null while it is live. A trashed todo is invisible
    // everywhere but the trash (server/todos.ts `live`), keeps its id (a restore puts it back in its
    // place) and is purged TRASH_RETENTION_DAYS later (server/jobs/trash-purge.ts).
    deletedAt: datetime('deleted_at', { mode: 'date' }),
    createdAt: timestamp('created_at').notNull().defaultNow(),
    updatedAt: timestamp('updated_at').notNull().defaultNow().onUpdateNow(),
  },
  (t) => [
    // "This user's todos in id order", a page of them, and their count, from the index alone.
    index('todo_user_id_id_idx').on(t.userId, t.id),
    // The same for the active or completed ones only, and the count of completed todos: without
    // it both read every one of the user's rows (10 ms for 5,000 todos, bench/README.md).
    index('todo_user_id_is_done_id_idx').on(t.userId, t.isDone, t.id),
    // Today and Upcoming: the viewer's open todos due before a time, read in due order.
    index('todo_user_id_is_done_due_at_idx').on(t.userId, t.isDone, t.dueAt),
    // The reminder sweep: reminders whose time has passed, in a bounded window.
    index('todo_remind_at_idx').on(t.remindAt),
    // A user's trash newest first, and emptying it.
    index('todo_user_id_deleted_at_idx').on(t.userId, t.deletedAt),
    // The purge: trashed todos older than the retention, across users, in bounded batches.
    index('todo_deleted_at_idx').on(t.deletedAt),
  ],
)

/** Sessions ended by "Log out" before they expire: checked on every request, pruned once expired. */
export const sessionRevocation = mysqlTable(
  'session_revocation',
  {
    sessionId: varchar('session_id', { length: 64 }).primaryKey(),
    userId: int('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    expiresAt: timestamp('expires_at').notNull(),
  },
  (t) => [index('session_revocation_expires_at_idx').on(t.expiresAt)],
)

/**
 * A pending password reset: at most one per account (the primary key), so a newer request replaces
 * the older token and only the newest link works. Only the SHA-256 of the token is stored (hex): a
 * leaked table gives no usable link. Using it deletes the row (a conditional DELETE, so one token
 * resets once); a password change deletes it too, and deleting the account cascades.
 */
export const passwordReset = mysqlTable(
  'password_reset',
  {
    userId: int('user_id')
      .primaryKey()
      .references(() => user.id, { onDelete: 'cascade' }),
    tokenHash: varchar('token_hash', { length: 64 }).notNull(),
    // UTC, like every instant here (the pool reads and writes DATETIME as UTC).
    expiresAt: datetime('expires_at', { mode: 'date' }).notNull(),
    createdAt: timestamp('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('password_reset_token_hash_unique').on(t.tokenHash)],
)

/**
 * A change applied once (docs/decisions/0016-nothing-typed-is-lost.md): the key the browser or an
 * API client made for it (a UUID, `Idempotency-Key`), a SHA-256 of what was asked (operation and
 * arguments), and what the write answered, as JSON. Written in the same transaction as the change,
 * so a replay of the key returns `outcome` and changes nothing. Purged a day later.
 */
export const idempotencyReceipt = mysqlTable(
  'idempotency_receipt',
  {
    // A one-column primary key: drizzle-kit's push on MariaDB misreads composite ones (it drops
    // and re-adds them on every push); the unique index is what a second request meets.
    id: int().autoincrement().primaryKey(),
    userId: int('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    // Lower-case canonical UUID text.
    key: varchar({ length: 36 }).notNull(),
    requestHash: varchar('request_hash', { length: 64 }).notNull(),
    outcome: text().notNull(),
    createdAt: datetime('created_at', { mode: 'date' }).notNull(),
  },
  (t) => [
    uniqueIndex('idempotency_receipt_user_id_key_unique').on(t.userId, t.key),
    index('idempotency_receipt_created_at_idx').on(t.createdAt),
  ],
)

export const userRelations = relations(user, ({ many }) => ({ todos: many(todo) }))
export const todoRelations = relations(todo, ({ one }) => ({
  owner: one(user, { fields: [todo.userId], references: [user.id] }),
}))

export type User = typeof user.$inferSelect
export type NewUser = typeof user.$inferInsert
export type Todo = typeof todo.$inferSelect
export type NewTodo = typeof todo.$inferInsert
export type PasswordReset = typeof passwordReset.$inferSelect
export type IdempotencyReceipt = typeof idempotencyReceipt.$inferSelect
