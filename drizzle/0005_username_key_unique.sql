ALTER TABLE `user` DROP INDEX `user_username_unique`;--> statement-breakpoint
ALTER TABLE `user` MODIFY COLUMN `username_key` varbinary(512) NOT NULL;--> statement-breakpoint
ALTER TABLE `user` ADD CONSTRAINT `user_username_key_unique` UNIQUE(`username_key`);