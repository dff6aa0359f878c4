-- Custom migration (drizzle-kit generate --custom): the keys of the accounts made before
-- username_key existed. Their usernames match the old pattern [A-Za-z0-9_.-], for which
-- usernameKey() (lib/validation/username-key.ts) is plain ASCII lower case. The next migration
-- makes the column NOT NULL and unique. scripts/lib/database.ts does the same before db:push.
UPDATE `user` SET `username_key` = LOWER(`username`) WHERE `username_key` IS NULL;
